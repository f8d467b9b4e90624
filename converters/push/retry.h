// push/retry.h — when `casefhir push` tries a POST again, and how long it waits first. Pure
// functions of their arguments (the clock and the random draw are passed in), so tests pin them.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace casefhir::push {

using Seconds = std::chrono::duration<double>;

// The wait a Retry-After header value asks for (RFC 9110 §10.2.3), counted from `now`: either
// delay-seconds ("120") or an HTTP-date — the IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" and the
// obsolete forms a server may still send, RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" and asctime
// "Sun Nov  6 08:49:37 1994". A date already past asks for no wait. nullopt when the value is
// neither (the caller then backs off on its own).
std::optional<Seconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

// A response worth another attempt: 429 Too Many Requests, and 5xx except 501 Not Implemented and
// 505 HTTP Version Not Supported, which say the server will never take this request.
bool is_retryable_status(long status);

// How long to wait after `failed_attempts` (1, 2, …) failed attempts when the server gave no
// Retry-After: 0.5 s doubled per attempt, capped at `max_seconds`, of which a random half is kept
// (`jitter` in [0, 1)), so clients that failed together do not retry together.
Seconds backoff_delay(int failed_attempts, double max_seconds, double jitter);

}  // namespace casefhir::push
