#include "common/enrollment_url.h"

namespace parc {
namespace {

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t first = text.find_first_not_of(kSpace);
  if (first == text.npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

}  // namespace

std::string EnrollmentUrl(std::string_view public_url, std::string_view token) {
  return std::string(public_url) + "/apprendre/?enroll=" + std::string(token);
}

std::string EnrollmentTokenOf(std::string_view text) {
  text = Trim(text);
  if (!text.starts_with("http://") && !text.starts_with("https://")) return std::string(text);
  size_t qmark = text.find('?');
  if (qmark == text.npos) return std::string(text);
  std::string_view query = text.substr(qmark + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == query.npos ? std::string_view() : query.substr(amp + 1);
    constexpr std::string_view kName = "enroll=";
    if (pair.starts_with(kName) && pair.size() > kName.size()) {
      return std::string(pair.substr(kName.size()));
    }
  }
  return std::string(text);
}

}  // namespace parc
