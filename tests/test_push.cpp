// tests/test_push.cpp — `casefhir push` without a server: Retry-After and backoff, the Pusher's
// order and failures, the report. tests/test_push_command.cpp runs the command; tests/push/test-push.sh
// pushes to real servers; tests/test_fhir_transaction.cpp checks the Bundles it posts.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "casefhir/errors.h"
#include "push/client.h"
#include "push/report.h"
#include "push/retry.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using namespace std::chrono_literals;
using std::chrono::system_clock;

system_clock::time_point at(std::chrono::sys_days day, std::chrono::seconds time_of_day) {
  return system_clock::time_point(day) + time_of_day;
}

}  // namespace

// ---- push_retry ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(push_retry)

BOOST_AUTO_TEST_CASE(retry_after_in_seconds) {
  const auto now = system_clock::now();
  BOOST_TEST(push::parse_retry_after("120", now).value().count() == 120.0);
  BOOST_TEST(push::parse_retry_after(" 0 ", now).value().count() == 0.0);
  BOOST_TEST(push::parse_retry_after("99999999999999999999", now).value().count() == 1e12);
}

BOOST_AUTO_TEST_CASE(retry_after_as_an_http_date_in_all_three_forms) {
  using namespace std::chrono;
  const auto when = at(sys_days{1994y / November / 6}, 8h + 49min + 37s);
  const auto now = when - 10s;
  BOOST_TEST(push::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now).value().count() == 10.0);
  BOOST_TEST(push::parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now).value().count() == 10.0);
  BOOST_TEST(push::parse_retry_after("Sun Nov  6 08:49:37 1994", now).value().count() == 10.0);
  // A date already past asks for no wait.
  BOOST_TEST(push::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", when + 1h).value().count() == 0.0);
  // RFC 850's two-digit year: never more than 50 years ahead.
  const auto in_2030 = at(sys_days{2030y / January / 1}, 0s);
  BOOST_TEST(push::parse_retry_after("Tuesday, 01-Jan-30 00:00:05 GMT", in_2030).value().count() == 5.0);
  BOOST_TEST(push::parse_retry_after("Saturday, 01-Jan-99 00:00:00 GMT", in_2030).value().count() == 0.0);   // 1999
}

BOOST_AUTO_TEST_CASE(what_is_not_a_retry_after_is_refused) {
  const auto now = system_clock::now();
  for (const char* value : {"", "soon", "-5", "1.5", "12s", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT",
                            "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 CET", "Sun, 06 Nov 1994 08:49:37 GMT x",
                            "Sun Nov  6 08:49:37"})
    BOOST_TEST(!push::parse_retry_after(value, now).has_value(), "\"" << value << "\"");
}

BOOST_AUTO_TEST_CASE(retryable_statuses_are_429_and_5xx_but_501_and_505) {
  for (long s : {429L, 500L, 502L, 503L, 504L}) BOOST_TEST(push::is_retryable_status(s), s);
  for (long s : {200L, 201L, 400L, 401L, 404L, 409L, 412L, 422L, 501L, 505L}) BOOST_TEST(!push::is_retryable_status(s), s);
}

BOOST_AUTO_TEST_CASE(backoff_doubles_keeps_a_random_half_and_stops_at_its_cap) {
  BOOST_TEST(push::backoff_delay(1, 30, 0.0).count() == 0.25);
  BOOST_TEST(push::backoff_delay(1, 30, 1.0).count() == 0.5);
  BOOST_TEST(push::backoff_delay(3, 30, 1.0).count() == 2.0);
  BOOST_TEST(push::backoff_delay(3, 30, 0.0).count() == 1.0);
  BOOST_TEST(push::backoff_delay(20, 30, 1.0).count() == 30.0);
  BOOST_TEST(push::backoff_delay(2000, 30, 0.5).count() == 22.5);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- push_client --------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(push_client)

BOOST_AUTO_TEST_CASE(a_dry_run_returns_every_outcome_in_submission_order) {
  push::Options options;
  options.dry_run = true;
  options.concurrency = 3;
  std::vector<std::string> delivered;
  options.on_outcome = [&](const push::BundleOutcome& o) {
    delivered.push_back(o.source);
    if (o.ok) BOOST_TEST(ordered_json::parse(o.transaction)["type"] == "transaction");
  };
  push::Pusher pusher(options);
  const std::string bundle = minimal_collection().dump();
  for (int i = 0; i < 40; ++i) pusher.submit(i % 7 == 3 ? "{not json" : bundle, "in.ndjson:" + std::to_string(i + 1));
  const auto outcomes = pusher.finish();
  BOOST_REQUIRE_EQUAL(outcomes.size(), 40u);
  BOOST_REQUIRE_EQUAL(delivered.size(), 40u);
  for (int i = 0; i < 40; ++i) {
    const auto& o = outcomes[static_cast<std::size_t>(i)];
    BOOST_TEST(o.source == "in.ndjson:" + std::to_string(i + 1));
    BOOST_TEST(delivered[static_cast<std::size_t>(i)] == o.source);
    BOOST_TEST(o.index == static_cast<std::size_t>(i));
    BOOST_TEST(o.transaction.empty(), "the transaction text is for on_outcome only");
    if (i % 7 == 3) {
      BOOST_TEST(!o.ok);
      BOOST_TEST((o.failure == push::Failure::invalid));
      BOOST_TEST(o.error == "not JSON: syntax error at line 1, column 3");   // the position, not the text
    } else {
      BOOST_TEST(o.ok);
      BOOST_REQUIRE_EQUAL(o.entries.size(), 2u);
      BOOST_TEST(o.entries[0].resource_type == "Patient");
      BOOST_TEST(o.entries[1].if_none_exist.rfind("identifier=http://example.org/ids|", 0) == 0u);
      BOOST_TEST(o.attempts == 0, "nothing was sent");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_bundle_that_is_not_json_is_named_by_line_and_column_never_quoted) {
  for (const auto& [text, where] : std::vector<std::pair<std::string, std::string>>{
           {"{\n  \"resourceType\": \"Bundle\",\n  secret\n}", "line 3, column 3"},
           {"{\"text\": \"Née\" x}", "line 1, column 16"}}) {
    try {
      push::prepare_bundle(text);
      BOOST_TEST(false, "no error");
    } catch (const Error& e) {
      BOOST_TEST(e.what() == "not JSON: syntax error at " + where);
    }
  }
}

BOOST_AUTO_TEST_CASE(submit_works_from_several_threads) {
  push::Options options;
  options.dry_run = true;
  options.concurrency = 2;
  push::Pusher pusher(options);
  const std::string bundle = minimal_collection().dump();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) pusher.submit(bundle, std::to_string(t) + ":" + std::to_string(i));
    });
  for (auto& t : threads) t.join();
  const auto outcomes = pusher.finish();
  BOOST_REQUIRE_EQUAL(outcomes.size(), 100u);
  std::set<std::string> sources;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    BOOST_TEST(outcomes[i].index == i);
    BOOST_TEST(outcomes[i].ok);
    sources.insert(outcomes[i].source);
  }
  BOOST_TEST(sources.size() == 100u);
}

BOOST_AUTO_TEST_CASE(a_server_that_does_not_answer_is_unreachable_and_later_bundles_are_not_sent) {
  push::Options options;
  options.server = "http://127.0.0.1:9/fhir";   // discard port: nothing listens on loopback
  options.concurrency = 1;
  options.max_attempts = 2;
  options.max_backoff_seconds = 0.1;
  options.timeout_seconds = 5;
  push::Pusher pusher(options);
  const std::string bundle = minimal_collection().dump();
  pusher.submit(bundle, "a.json");
  pusher.submit(bundle, "b.json");
  const auto outcomes = pusher.finish();
  BOOST_REQUIRE_EQUAL(outcomes.size(), 2u);
  BOOST_TEST((outcomes[0].failure == push::Failure::unreachable));
  BOOST_TEST(outcomes[0].attempts == 2);
  BOOST_TEST(outcomes[0].http_status == 0);
  BOOST_TEST(outcomes[0].error.rfind("server unreachable: ", 0) == 0u, outcomes[0].error);
  BOOST_TEST(outcomes[0].error.find("(after 2 attempts)") != std::string::npos, outcomes[0].error);
  BOOST_TEST((outcomes[1].failure == push::Failure::unreachable));
  BOOST_TEST(outcomes[1].attempts == 0);
  BOOST_TEST(outcomes[1].error.rfind("not sent: the server unreachable for an earlier Bundle", 0) == 0u, outcomes[1].error);
}

BOOST_AUTO_TEST_CASE(options_that_cannot_work_are_usage_errors) {
  auto usage_error = [](push::Options o) {
    try {
      push::Pusher p(std::move(o));
    } catch (const Error& e) {
      return e.kind() == ErrorKind::usage;
    }
    return false;
  };
  BOOST_TEST(usage_error(push::Options{}));   // no server, not a dry run
  push::Options ftp;
  ftp.server = "ftp://example.org/fhir";
  BOOST_TEST(usage_error(ftp));
  push::Options none;
  none.dry_run = true;
  none.concurrency = 0;
  BOOST_TEST(usage_error(none));
}

BOOST_AUTO_TEST_CASE(the_report_says_what_became_of_every_entry) {
  push::BundleOutcome o;
  o.source = "cases.ndjson:2";
  o.http_status = 200;
  o.attempts = 3;
  o.ok = true;
  o.entries = {{"Patient", "urn:uuid:a", "identifier=x|a", "201 Created", "Patient/1/_history/1", {}},
               {"Condition", "urn:uuid:b", "identifier=x|b", "200 OK", "Condition/2", {}}};
  BOOST_TEST(push::to_json(o).dump() ==
             R"({"source":"cases.ndjson:2","ok":true,"http_status":200,"attempts":3,"created":1,"existing":1,"entries":[)"
             R"({"resourceType":"Patient","fullUrl":"urn:uuid:a","ifNoneExist":"identifier=x|a","status":"201 Created","location":"Patient/1/_history/1"},)"
             R"({"resourceType":"Condition","fullUrl":"urn:uuid:b","ifNoneExist":"identifier=x|b","status":"200 OK","location":"Condition/2"}]})");
  push::Totals totals;
  totals.add(o);
  push::BundleOutcome rejected;
  rejected.http_status = 400;
  rejected.failure = push::Failure::rejected;
  rejected.entries = {{"Patient", "urn:uuid:c", "", "", "", {}}};
  totals.add(rejected);
  BOOST_TEST(totals.to_json().dump() ==
             R"({"bundles":2,"bundles_ok":1,"invalid":0,"rejected":1,"unreachable":0,"entries":3,"created":1,"existing":1,"entries_failed":1})");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
