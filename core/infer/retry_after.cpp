#include "infer/retry_after.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace idm::infer {

namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> kDayNames{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDayNames{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonthNames{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Words separated by runs of spaces: asctime pads a one-digit day with a second space.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

template <size_t N>
bool is_one_of(std::string_view word, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), word) != names.end();
}

// Exactly min_digits..max_digits ASCII digits.
std::optional<int> number(std::string_view text, size_t min_digits, size_t max_digits) {
  if (text.size() < min_digits || text.size() > max_digits) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<unsigned> month_number(std::string_view name) {
  auto it = std::find(kMonthNames.begin(), kMonthNames.end(), name);
  if (it == kMonthNames.end()) return std::nullopt;
  return static_cast<unsigned>(it - kMonthNames.begin()) + 1;
}

// "HH:MM:SS"; a second of 60 is a leap second (RFC 5322 allows it).
std::optional<seconds> time_of_day(std::string_view text) {
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  auto hour = number(text.substr(0, 2), 2, 2), minute = number(text.substr(3, 2), 2, 2), second = number(text.substr(6, 2), 2, 2);
  if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return hours(*hour) + minutes(*minute) + seconds(*second);
}

std::optional<sys_seconds> instant(int year_value, unsigned month_value, int day_value, seconds since_midnight) {
  year_month_day date{year(year_value), month(month_value), day(static_cast<unsigned>(day_value))};
  if (!date.ok()) return std::nullopt;  // 31 Feb, 29 Feb of a common year...
  return sys_days(date) + since_midnight;
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<sys_seconds> imf_fixdate(const std::vector<std::string_view>& w) {
  if (w.size() != 6 || w[0].size() != 4 || w[0].back() != ',' || !is_one_of(w[0].substr(0, 3), kDayNames) || w[5] != "GMT") return std::nullopt;
  auto day_value = number(w[1], 2, 2);
  auto month_value = month_number(w[2]);
  auto year_value = number(w[3], 4, 4);
  auto since_midnight = time_of_day(w[4]);
  if (!day_value || !month_value || !year_value || !since_midnight) return std::nullopt;
  return instant(*year_value, *month_value, *day_value, *since_midnight);
}

// "Sunday, 06-Nov-94 08:49:37 GMT"
std::optional<sys_seconds> rfc850_date(const std::vector<std::string_view>& w, system_clock::time_point now) {
  if (w.size() != 4 || w[0].size() < 2 || w[0].back() != ',' || !is_one_of(w[0].substr(0, w[0].size() - 1), kLongDayNames) || w[3] != "GMT") {
    return std::nullopt;
  }
  std::string_view date = w[1];
  if (date.size() != 9 || date[2] != '-' || date[6] != '-') return std::nullopt;
  auto day_value = number(date.substr(0, 2), 2, 2);
  auto month_value = month_number(date.substr(3, 3));
  auto two_digit_year = number(date.substr(7, 2), 2, 2);
  auto since_midnight = time_of_day(w[2]);
  if (!day_value || !month_value || !two_digit_year || !since_midnight) return std::nullopt;
  // RFC 9110 §5.6.7: a year that looks more than 50 years ahead is the last century's.
  int this_year = static_cast<int>(year_month_day(floor<days>(now)).year());
  int year_value = this_year / 100 * 100 + *two_digit_year;
  if (year_value > this_year + 50) year_value -= 100;
  else if (year_value <= this_year - 50) year_value += 100;
  return instant(year_value, *month_value, *day_value, *since_midnight);
}

// "Sun Nov  6 08:49:37 1994"
std::optional<sys_seconds> asctime_date(const std::vector<std::string_view>& w) {
  if (w.size() != 5 || !is_one_of(w[0], kDayNames)) return std::nullopt;
  auto month_value = month_number(w[1]);
  auto day_value = number(w[2], 1, 2);
  auto since_midnight = time_of_day(w[3]);
  auto year_value = number(w[4], 4, 4);
  if (!day_value || !month_value || !year_value || !since_midnight) return std::nullopt;
  return instant(*year_value, *month_value, *day_value, *since_midnight);
}

// delay-seconds: digits; "1.5" is tolerated (some proxies send fractions), signs and exponents are not.
std::optional<double> delay_seconds(std::string_view text) {
  size_t digits_before_point = text.find('.');
  if (digits_before_point == std::string_view::npos) digits_before_point = text.size();
  if (digits_before_point == 0) return std::nullopt;
  for (size_t i = 0; i < text.size(); ++i) {
    bool digit = text[i] >= '0' && text[i] <= '9';
    if (!digit && !(i == digits_before_point && i + 1 < text.size())) return std::nullopt;
  }
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<sys_seconds> parse_http_date(std::string_view text, system_clock::time_point now) {
  std::vector<std::string_view> w = words(trim(text));
  if (auto date = imf_fixdate(w)) return date;
  if (auto date = rfc850_date(w, now)) return date;
  return asctime_date(w);
}

std::optional<double> retry_after_delay_s(std::string_view value, system_clock::time_point now) {
  value = trim(value);
  std::optional<double> wait_s = delay_seconds(value);
  if (!wait_s) {
    std::optional<sys_seconds> date = parse_http_date(value, now);
    if (!date) return std::nullopt;
    // In double seconds: as nanoseconds (the clock's unit) a date past 2262 would overflow.
    // 1 s resolution: the retry may come up to 1 s before the moment the server meant.
    wait_s = duration<double>(date->time_since_epoch()).count() - duration<double>(now.time_since_epoch()).count();
  }
  return std::clamp(*wait_s, 0.0, kMaxRetryAfterS);
}

}  // namespace idm::infer
