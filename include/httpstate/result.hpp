#pragma once
// A value or a reason: what every parser of untrusted input returns instead of throwing.
#include <cassert>
#include <utility>
#include <variant>

namespace httpstate {

template <class E>
struct Failure {
  E reason;
};

// Deduction helper: `return fail(ParseError::empty_name);`
template <class E>
Failure<E> fail(E reason) {
  return {reason};
}

template <class T, class E>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Failure<E> f) : v_(std::in_place_index<1>, f.reason) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace httpstate
