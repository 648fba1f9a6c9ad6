#pragma once
// The Retry-After header of a 429/503 answer (RFC 9110 §10.2.3): delay-seconds or an
// HTTP-date. Pure functions: the caller passes the current time, so tests need no clock.
#include <chrono>
#include <optional>
#include <string_view>

namespace idm::infer {

// The longest wait a Retry-After may impose. A server asking for minutes, or a date far ahead
// (a server clock that is wrong), would otherwise park a pool thread with no progress shown;
// after 60 s we would rather ask again and get a fresh answer (another 429 costs one request).
inline constexpr double kMaxRetryAfterS = 60.0;

// An HTTP-date (RFC 9110 §5.6.7) as UTC seconds: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT",
// and the obsolete forms recipients must accept, RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" and
// asctime "Sun Nov  6 08:49:37 1994". Names are case-sensitive, as the RFC says. `now` places
// RFC 850's two-digit year (a year more than 50 years ahead means the previous century).
// nullopt when the text is none of the three, or names a day that does not exist.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text, std::chrono::system_clock::time_point now);

// How long to wait before retrying, in seconds from `now`, for a Retry-After value (surrounding
// whitespace allowed): delay-seconds (a decimal fraction is tolerated) or an HTTP-date. A date
// in the past means retry now (0). Capped at kMaxRetryAfterS. nullopt when the value is neither.
std::optional<double> retry_after_delay_s(std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace idm::infer
