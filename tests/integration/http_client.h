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
  explicit HttpClient(int port) : stream_(io_) {
    boost::asio::ip::tcp::resolver resolver(io_);
    stream_.connect(resolver.resolve("127.0.0.1", std::to_string(port)));
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
    bh::write(stream_, req);
    HttpResponse resp;
    boost::beast::error_code ec;
    bh::read(stream_, buffer_, resp, ec);
    if (ec) resp.result(bh::status::unknown);
    return resp;
  }

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace parc::testing
