// The connection loop of `httpstate serve`, after Beast's example/http/server/async: one
// strand per connection on N threads, keep-alive, and every way a client can misbehave mapped
// to a status (400, 413, 431, 503) or a closed socket, never to a crash.
#include <utility>  // before Beast: Boost 1.74's asio/awaitable.hpp uses std::exchange unincluded

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <charconv>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "access_log.hpp"
#include "app.hpp"
#include "httpstate/error.hpp"
#include "options.hpp"

namespace httpstate::serve {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// Not RFC limits: RFC 9110 §5.4 leaves the header size to the server (nginx: 4 x 8 KiB; ours
// must exceed the cookie layer's 32 KiB Cookie header bound, limits::max_header_bytes).
constexpr std::uint32_t max_header_bytes = 64 * 1024;
constexpr std::uint64_t max_body_bytes = 1024 * 1024;
// A client that sent its headers has this long for the body.
constexpr auto body_timeout = std::chrono::seconds(30);
// SIGTERM: requests in flight get this long to finish before the process exits anyway.
constexpr auto drain_deadline = std::chrono::seconds(10);

struct ConnectionBase {
  virtual ~ConnectionBase() = default;
  virtual void drain() = 0;
};

class Server {
 public:
  Server(const Options& o, App& app) : app_(app), options_(o), acceptor_(ioc_), signals_(ioc_, SIGTERM, SIGINT) {}

  // Declared before ioc_: the handlers ioc_ destroys last hold connections that use them.
  App& app_;
  const Options& options_;
  std::atomic<std::size_t> connections_{0};
  std::atomic<bool> draining_{false};
  std::mutex live_m_;
  std::unordered_map<ConnectionBase*, std::weak_ptr<ConnectionBase>> live_;
  std::optional<ssl::context> tls_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::signal_set signals_;

  void accept();
  void on_signal();
  void wait_drained(std::shared_ptr<net::steady_timer> timer, std::chrono::steady_clock::time_point deadline);
};

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

template <class Stream>
class Connection : public ConnectionBase, public std::enable_shared_from_this<Connection<Stream>> {
  static constexpr bool tls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  Connection(Server& s, tcp::socket&& socket, bool reject) : server_(s), stream_(make_stream(s, std::move(socket))), reject_(reject) {
    beast::error_code ec;
    const auto peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) peer_ = peer.address().to_string();
    if (!reject_) ++server_.connections_;
  }
  ~Connection() override {
    if (!reject_) --server_.connections_;
    std::lock_guard lock(server_.live_m_);
    server_.live_.erase(this);
  }

  void start() {
    {
      std::lock_guard lock(server_.live_m_);
      server_.live_.emplace(this, this->weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (tls) {
        beast::get_lowest_layer(self->stream_).expires_after(std::chrono::seconds(self->server_.options_.header_timeout));
        self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) return self->close();
          self->begin();
        });
      } else {
        self->begin();
      }
    });
  }

  void drain() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  static Stream make_stream(Server& s, tcp::socket&& socket) {
    if constexpr (tls) return Stream(std::move(socket), *s.tls_);
    else return Stream(std::move(socket));
  }

  void begin() {
    if (!reject_) return read();
    // Over --max-connections: one 503 and the door, before reading anything.
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    send(error_response(11, http::status::service_unavailable, "too many connections"), true, "-", "-");
  }

  void read() {
    if (server_.draining_) return close();
    parser_.emplace();
    parser_->header_limit(max_header_bytes);
    parser_->body_limit(max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(server_.options_.header_timeout));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_error(ec);
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    if (parser_->is_done()) return on_body({});
    beast::get_lowest_layer(stream_).expires_after(body_timeout);
    // RFC 9110 §10.1.1: a client waiting for 100 Continue sends its body only after it.
    if (iequals(sv(parser_->get()[http::field::expect]), "100-continue")) {
      continue_.emplace(http::status::continue_, 11);
      return http::async_write(stream_, *continue_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->read_body();
      });
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_error(beast::error_code ec) {
    if (ec == http::error::header_limit)
      return reply_error(http::status::request_header_fields_too_large, "request headers over 64 KiB");
    if (ec == http::error::body_limit) return reply_error(http::status::payload_too_large, "request body over 1 MiB");
    if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == beast::error::timeout ||
        ec == net::error::operation_aborted)
      return close();
    if (&ec.category() == &http::make_error_code(http::error::bad_target).category())
      return reply_error(http::status::bad_request, "malformed request: " + ec.message());
    close();  // the connection failed (reset, TLS error): nobody to answer
  }

  void reply_error(http::status status, std::string why) {
    busy_ = true;
    if (started_ == std::chrono::steady_clock::time_point{}) started_ = std::chrono::steady_clock::now();
    send(error_response(11, status, why), true, "-", "-");
  }

  void on_body(beast::error_code ec) {
    if (ec) return on_error(ec);
    auto& req = parser_->get();
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is answered 400.
    if (req.version() >= 11 && req.find(http::field::host) == req.end())
      return reply_error(http::status::bad_request, "malformed request: no Host header");
    Exchange ex(req, tls, peer_);
    Response res = app_handle(ex);
    const bool close_after = !req.keep_alive() || server_.draining_;
    if (req.method() == http::verb::head) {
      res.prepare_payload();
      const auto n = res.body().size();
      res.body().clear();
      if (n) res.content_length(n);
      head_ = true;
    }
    send(std::move(res), close_after, req.method_string(), ex.route, ex.session_event);
  }

  Response app_handle(Exchange& ex) {
    try {
      return server_.app_.handle(ex);
    } catch (const std::exception&) {
      // A bug of ours, not bad input: the handlers map every input problem to a status.
      return error_response(ex.req.version(), http::status::internal_server_error, "internal error");
    }
  }

  void send(Response res, bool close_after, beast::string_view method, std::string_view route,
            std::string_view event = {}) {
    res.keep_alive(!close_after);
    res.set(http::field::server, "httpstate");
    if (!head_) res.prepare_payload();
    head_ = false;
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
    server_.app_.log().request(sv(method), route, res.result_int(), micros, event);
    res_.emplace(std::move(res));
    http::async_write(stream_, *res_, [self = this->shared_from_this(), close_after](beast::error_code ec, std::size_t) {
      self->busy_ = false;
      self->res_.reset();
      if (ec || close_after) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ec;
    auto& socket = beast::get_lowest_layer(stream_).socket();
    socket.shutdown(tcp::socket::shutdown_send, ec);
    socket.close(ec);
  }

  Server& server_;
  Stream stream_;
  bool reject_;
  bool busy_ = false;
  bool head_ = false;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<Response> res_;
  std::chrono::steady_clock::time_point started_{};
};

void Server::accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors or memory: wait a moment instead of spinning on accept.
      auto t = std::make_shared<net::steady_timer>(ioc_, std::chrono::milliseconds(50));
      t->async_wait([this, t](beast::error_code) { accept(); });
      return;
    }
    const bool reject = connections_.load() >= options_.max_connections;
    if (tls_)
      std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(socket), reject)->start();
    else
      std::make_shared<Connection<beast::tcp_stream>>(*this, std::move(socket), reject)->start();
    accept();
  });
}

void Server::on_signal() {
  draining_ = true;
  app_.log().note("event=draining");
  beast::error_code ec;
  acceptor_.close(ec);
  std::vector<std::shared_ptr<ConnectionBase>> all;
  {
    std::lock_guard lock(live_m_);
    for (auto& [p, w] : live_)
      if (auto s = w.lock()) all.push_back(std::move(s));
  }
  for (auto& c : all) c->drain();
  auto timer = std::make_shared<net::steady_timer>(ioc_);
  wait_drained(timer, std::chrono::steady_clock::now() + drain_deadline);
}

void Server::wait_drained(std::shared_ptr<net::steady_timer> timer, std::chrono::steady_clock::time_point deadline) {
  if (connections_.load() == 0 || std::chrono::steady_clock::now() >= deadline) return ioc_.stop();
  timer->expires_after(std::chrono::milliseconds(20));
  timer->async_wait([this, timer, deadline](beast::error_code) { wait_drained(timer, deadline); });
}

tcp::endpoint parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw error("--listen " + listen + ": expected HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const auto p = listen.substr(colon + 1);
  const auto [end, e] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (e != std::errc() || end != p.data() + p.size() || port > 65535)
    throw error("--listen " + listen + ": the port is not a number from 0 to 65535");
  beast::error_code ec;
  const auto addr = net::ip::make_address(host, ec);
  if (ec) throw error("--listen " + listen + ": " + host + " is not an IP address");
  return {addr, static_cast<unsigned short>(port)};
}

}  // namespace

int run(const Options& options) {
  App app(options);
  Server server(options, app);
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    if (options.tls_cert.empty() || options.tls_key.empty()) throw error("--tls-cert and --tls-key go together");
    server.tls_.emplace(ssl::context::tls_server);
    beast::error_code ec;
    server.tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                             ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    server.tls_->use_certificate_chain_file(options.tls_cert, ec);
    if (ec) throw error("--tls-cert " + options.tls_cert + ": " + ec.message());
    server.tls_->use_private_key_file(options.tls_key, ssl::context::pem, ec);
    if (ec) throw error("--tls-key " + options.tls_key + ": " + ec.message());
  }
  const auto endpoint = parse_listen(options.listen);
  beast::error_code ec;
  server.acceptor_.open(endpoint.protocol(), ec);
  if (!ec) server.acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) server.acceptor_.bind(endpoint, ec);
  if (!ec) server.acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw error("--listen " + options.listen + ": " + ec.message());
  const auto bound = server.acceptor_.local_endpoint();
  std::string host = bound.address().to_string();
  if (bound.address().is_v6()) host = "[" + host + "]";
  std::cout << "httpstate: serving " << (server.tls_ ? "https" : "http") << "://" << host << ":" << bound.port()
            << "/ (store " << app.store_name() << ")" << std::endl;

  server.signals_.async_wait([&server](beast::error_code ec, int) {
    if (!ec) server.on_signal();
  });
  server.accept();
  unsigned n = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < n; ++i) threads.emplace_back([&server] { server.ioc_.run(); });
  server.ioc_.run();
  for (auto& t : threads) t.join();
  app.log().note("event=stopped");
  return 0;
}

}  // namespace httpstate::serve
