// itsdangerous's URLSafeSerializer in C++. The Python version:
//
//   s = URLSafeSerializer("a-secret-of-16-bytes-or-more")
//   token = s.dumps({"user": "alice", "id": 5})
//   s.loads(token)                 # {"user": "alice", "id": 5}; BadSignature if tampered
//
// Usage: itsdangerous_serializer SECRET           prints a token for {"user":"alice","id":5}
//        itsdangerous_serializer SECRET TOKEN     prints the value, or the reason (exit 1)
#include <iostream>

#include <httpstate/codec/itsdangerous.hpp>

namespace its = httpstate::codec::itsdangerous;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: itsdangerous_serializer SECRET [TOKEN]\n";
    return 2;
  }
  its::Serializer s(argv[1], its::url_safe());  // URLSafeSerializer(secret), salt "itsdangerous"
  if (argc == 2) {
    std::cout << s.dumps({{"user", "alice"}, {"id", 5}}) << '\n';  // s.dumps(...)
    return 0;
  }
  // s.loads(token): a value or a reason, where Python raises BadSignature / BadPayload.
  auto loaded = s.loads(argv[2]);
  if (!loaded) {
    std::cerr << "rejected: " << httpstate::codec::to_string(loaded.error()) << '\n';
    return 1;
  }
  std::cout << loaded->value.dump() << '\n';
  return 0;
}
