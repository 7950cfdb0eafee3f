// Enrollment URLs: what an enrollment token's QR code holds,
// <public_url>/apprendre/?enroll=<token>. Opened on a tablet it enrolls the
// learner app; parc-agent and the tests take the token back out of it.
#pragma once

#include <string>
#include <string_view>

namespace parc {

// "<public_url>/apprendre/?enroll=<token>". `public_url` has no trailing
// slash (Config::PublicUrl); the token's alphabet (base64url) needs no escaping.
std::string EnrollmentUrl(std::string_view public_url, std::string_view token);

// The token inside `text`: the `enroll` query parameter when `text` is a URL
// ("http://...", "https://...") that has one, else `text` itself; surrounding
// spaces are dropped either way. Never empty unless `text` is blank.
std::string EnrollmentTokenOf(std::string_view text);

}  // namespace parc
