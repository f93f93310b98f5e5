// Async requests on one jar: many in flight against httpbin, no cookie lost, errors carried
// by the futures.
#include <gtest/gtest.h>

#include "client_test_support.hpp"
#include "httpstate/client/session.hpp"

namespace httpstate::client {
namespace {

TEST(AsyncTest, TwoHundredRequestsWith32InFlightLoseNoCookie) {
  test::Server httpbin(test::httpbin_argv, "httpbin");
  ASSERT_NE(httpbin.port(), 0) << httpbin.log();
  Session s(SessionOptions{.max_in_flight = 32, .max_in_flight_per_host = 32});
  std::vector<Request> requests;
  // 100 distinct cookies, each set through a redirect; 100 plain reads in between.
  for (int i = 0; i < 200; ++i) {
    const std::string path = i % 2 == 0 ? "/cookies/set/c" + std::to_string(i / 2) + "/" + std::to_string(i) : "/cookies";
    requests.push_back({.url = httpbin.url(path)});
  }
  auto futures = s.send_all(std::move(requests));
  auto responses = wait_all(futures);
  ASSERT_EQ(responses.size(), 200u);
  for (const auto& r : responses) EXPECT_EQ(r.status, 200) << r.url;
  EXPECT_EQ(s.cookies().size(), 100u);
  const auto cookies = s.get(httpbin.url("/cookies")).json()["cookies"];
  ASSERT_EQ(cookies.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(cookies.value("c" + std::to_string(i), ""), std::to_string(2 * i));
}

TEST(AsyncTest, FutureCarriesTheError) {
  Session s;
  const int closed = test::free_port();
  auto f = s.get_async("http://127.0.0.1:" + std::to_string(closed) + "/");
  try {
    f.get();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::connect_refused);
  }
  auto bad = s.get_async("ftp://127.0.0.1/");
  EXPECT_THROW(bad.get(), Error);
}

}  // namespace
}  // namespace httpstate::client
