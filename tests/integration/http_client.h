// A blocking HTTP/1.1 client on one loopback connection (Beast), for tests of
// parcd's HTTP side.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <string>
#include <utility>
#include <vector>

namespace parc::testing {

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  // `source`: the local address to connect from (any 127.x.y.z works on
  // Linux's loopback), so that a test can be several clients.
  explicit HttpClient(int port, const std::string& source = "") : stream_(io_) {
    namespace ip = boost::asio::ip;
    if (!source.empty()) {
      stream_.socket().open(ip::tcp::v4());
      stream_.socket().bind(ip::tcp::endpoint(ip::make_address(source), 0));
    }
    stream_.connect(ip::tcp::endpoint(ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)));
  }

  // One request; status `unknown` when the answer could not be read.
  HttpResponse Send(boost::beast::http::verb verb, const std::string& target,
                    const HttpHeaders& headers = {}, const std::string& body = "") {
    namespace bh = boost::beast::http;
    bh::request<bh::string_body> req{verb, target, 11};
    req.set(bh::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    boost::beast::error_code ec;
    bh::write(stream_, req, ec);  // a refused body may be answered before all of it is sent
    bh::response_parser<bh::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    bh::read(stream_, buffer_, parser, ec);
    if (ec) {
      HttpResponse broken;
      broken.result(bh::status::unknown);
      return broken;
    }
    return parser.release();
  }

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

template <typename Field>
std::string HeaderOf(const HttpResponse& resp, Field field) {
  auto it = resp.find(field);
  return it == resp.end() ? std::string() : std::string(it->value());
}

}  // namespace parc::testing
