// push/retry.cpp — Retry-After values, retryable statuses, backoff.
#include "push/retry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace casefhir::push {

namespace {

using std::chrono::system_clock;

// A cursor over a header value; every read either consumes what it matched or nothing.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool at_end() const { return i_ == s_.size(); }
  bool literal(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  // One or more spaces.
  bool spaces() {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
    return i_ > start;
  }
  void optional_spaces() { spaces(); }
  // Between min and max digits.
  bool number(std::size_t min, std::size_t max, int& out) {
    std::size_t n = 0;
    int value = 0;
    while (i_ + n < s_.size() && n < max && s_[i_ + n] >= '0' && s_[i_ + n] <= '9') value = value * 10 + (s_[i_ + n++] - '0');
    if (n < min) return false;
    i_ += n;
    out = value;
    return true;
  }
  // A run of ASCII letters (a day or month name).
  std::string_view letters() {
    const std::size_t start = i_;
    while (i_ < s_.size() && ((s_[i_] >= 'A' && s_[i_] <= 'Z') || (s_[i_] >= 'a' && s_[i_] <= 'z'))) ++i_;
    return s_.substr(start, i_ - start);
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

// "Jan" … "Dec" (HTTP-dates are case-sensitive; accept any case, as browsers do).
int month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() != 3) return 0;
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(c | 0x20);
  for (std::size_t m = 0; m < kMonths.size(); ++m)
    if (kMonths[m] == lower) return static_cast<int>(m) + 1;
  return 0;
}

bool is_day_name(std::string_view name) { return name.size() >= 3; }

struct Clock {
  int hour = 0, minute = 0, second = 0;
};

// "08:49:37"
bool time_of_day(Cursor& c, Clock& t) {
  return c.number(2, 2, t.hour) && c.literal(':') && c.number(2, 2, t.minute) && c.literal(':') && c.number(2, 2, t.second) &&
         t.hour < 24 && t.minute < 60 && t.second <= 60;
}

std::optional<system_clock::time_point> to_time_point(int year, int month, int day, const Clock& t) {
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return system_clock::time_point(std::chrono::sys_days(date)) + std::chrono::hours(t.hour) + std::chrono::minutes(t.minute) +
         std::chrono::seconds(std::min(t.second, 59));   // a leap second, as the second before it
}

// RFC 9110 §5.6.7: a two-digit year that would lie more than 50 years ahead is the most recent past
// year with those digits.
int full_year(int two_digits, system_clock::time_point now) {
  const int this_year = static_cast<int>(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)).year());
  int year = this_year - this_year % 100 + two_digits;
  if (year > this_year + 50) year -= 100;
  return year;
}

std::optional<system_clock::time_point> parse_http_date(std::string_view value, system_clock::time_point now) {
  Cursor c(value);
  if (!is_day_name(c.letters())) return std::nullopt;
  int day = 0, month = 0, year = 0;
  Clock t;
  if (c.literal(',')) {
    c.optional_spaces();
    if (!c.number(1, 2, day)) return std::nullopt;
    if (c.literal('-')) {   // RFC 850: 06-Nov-94
      month = month_number(c.letters());
      int two_digits = 0;
      if (!month || !c.literal('-') || !c.number(2, 2, two_digits)) return std::nullopt;
      year = full_year(two_digits, now);
    } else {                // IMF-fixdate: 06 Nov 1994
      if (!c.spaces()) return std::nullopt;
      month = month_number(c.letters());
      if (!month || !c.spaces() || !c.number(4, 4, year)) return std::nullopt;
    }
    if (!c.spaces() || !time_of_day(c, t) || !c.spaces() || c.letters() != "GMT") return std::nullopt;
  } else {                  // asctime: Nov  6 08:49:37 1994
    if (!c.spaces()) return std::nullopt;
    month = month_number(c.letters());
    if (!month || !c.spaces() || !c.number(1, 2, day) || !c.spaces() || !time_of_day(c, t) || !c.spaces() || !c.number(4, 4, year))
      return std::nullopt;
  }
  c.optional_spaces();
  if (!c.at_end()) return std::nullopt;
  return to_time_point(year, month, day, t);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<Seconds> parse_retry_after(std::string_view value, system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    double seconds = 0;   // digits past any sane wait saturate rather than overflow
    for (const char ch : value) seconds = std::min(seconds * 10 + (ch - '0'), 1e12);
    return Seconds(seconds);
  }
  const auto when = parse_http_date(value, now);
  if (!when) return std::nullopt;
  return *when > now ? Seconds(*when - now) : Seconds(0);
}

bool is_retryable_status(long status) {
  return status == 429 || (status >= 500 && status <= 599 && status != 501 && status != 505);
}

Seconds backoff_delay(int failed_attempts, double max_seconds, double jitter) {
  const double full = std::min(max_seconds, 0.5 * std::pow(2.0, std::max(failed_attempts, 1) - 1));
  return Seconds(full / 2 + full / 2 * std::clamp(jitter, 0.0, 1.0));
}

}  // namespace casefhir::push
