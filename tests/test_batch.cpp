// The batch runner and its inputs: results in input order whatever the number of threads, every
// item a result (an unreadable one with its error), shards that cover the inputs once.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "batch/runner.h"
#include "support.h"

namespace fs = std::filesystem;
using namespace casefhir;
using namespace casefhir::test;

BOOST_AUTO_TEST_SUITE(batch_runner)

BOOST_AUTO_TEST_CASE(shards_cover_every_input_once_in_order) {
  for (std::size_t count : {0u, 1u, 2u, 7u, 100u, 101u}) {
    for (std::size_t n : {1u, 2u, 3u, 4u, 8u, 150u}) {
      std::size_t expected_begin = 0;
      for (std::size_t k = 1; k <= n; ++k) {
        const auto [begin, end] = batch::shard_slice(std::to_string(k) + "/" + std::to_string(n), count);
        BOOST_CHECK_EQUAL(begin, expected_begin);
        BOOST_CHECK_LE(end - begin, count / n + 1);   // balanced
        expected_begin = end;
      }
      BOOST_CHECK_EQUAL(expected_begin, count);
    }
  }
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "1/3x", "-1/3", ""})
    BOOST_CHECK_THROW(batch::shard_slice(bad, 10), Error);
}

BOOST_AUTO_TEST_CASE(results_come_in_input_order_and_none_is_lost) {
  const Converter converter(default_mappings());
  const std::vector<std::string> texts = {"A 40-year-old woman presented with fever.", "", "A 3-year-old boy had a cough and no rash.",
                                          std::string("abc\0def", 7), "Her sodium was 131 mmol/L."};
  std::vector<std::string> alone;
  for (const std::string& t : texts) {
    try {
      alone.push_back(converter.convert(t, "r").bundle);
    } catch (const Error&) {
      alone.push_back("error");
    }
  }
  for (std::size_t jobs : {1u, 2u, 4u}) {
    batch::RunnerOptions options;
    options.jobs = jobs;
    options.window = 1;   // the tightest window: workers wait for the writer
    const batch::Runner runner(converter, options);
    std::size_t next = 0;
    std::vector<batch::Result> got;
    std::atomic<int> writers{0};
    std::atomic<std::size_t> written{0};
    runner.run(
        [&](batch::Item& item) {
          if (next >= 20) return false;
          // At most `window` results converted or waiting (a window is at least one per job).
          BOOST_CHECK_LT(next, written.load() + std::max(options.window, jobs));
          item.bytes = texts[next % texts.size()];
          item.in_memory = true;
          item.name = "r";
          ++next;
          return true;
        },
        [&](batch::Result&& r) {
          // Written by the worker that finished the next item: never two at once.
          BOOST_CHECK_EQUAL(writers.fetch_add(1), 0);
          got.push_back(std::move(r));
          ++written;
          writers.fetch_sub(1);
        });
    BOOST_REQUIRE_EQUAL(got.size(), 20u);
    for (std::size_t i = 0; i < got.size(); ++i) {
      BOOST_CHECK_EQUAL(got[i].index, i);
      const std::string& want = alone[i % texts.size()];
      if (want == "error") {
        BOOST_CHECK(got[i].error.has_value());
      } else {
        BOOST_REQUIRE_EQUAL(got[i].bundles.size(), 1u);
        BOOST_CHECK(got[i].bundles[0] == want);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_failing_writer_or_source_ends_the_run_with_its_error) {
  const Converter converter(default_mappings());
  for (std::size_t jobs : {1u, 2u, 4u}) {
    const batch::Runner runner(converter, {.jobs = jobs});
    auto source = [](std::size_t fail_at, std::size_t& next) {
      return [fail_at, &next](batch::Item& item) {
        if (next == fail_at) throw std::runtime_error("source gone");
        if (next >= 30) return false;
        item.bytes = "A 40-year-old woman presented with fever.";
        item.in_memory = true;
        item.name = "r" + std::to_string(next++);
        return true;
      };
    };
    // The writer fails at the fifth result: nothing is written after it, and the run says so.
    std::size_t next = 0, written = 0;
    BOOST_CHECK_THROW(runner.run(source(100, next),
                                 [&](batch::Result&& r) {
                                   if (r.index == 4) throw std::runtime_error("disk full");
                                   BOOST_CHECK_EQUAL(r.index, written++);
                                 }),
                      std::runtime_error);
    BOOST_CHECK_EQUAL(written, 4u);
    // The source fails after ten items: those ten are written, in order, then the error comes.
    next = written = 0;
    BOOST_CHECK_THROW(runner.run(source(10, next), [&](batch::Result&& r) { BOOST_CHECK_EQUAL(r.index, written++); }),
                      std::runtime_error);
    BOOST_CHECK_EQUAL(written, 10u);
  }
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_a_result_with_its_error) {
  const Converter converter(default_mappings());
  const batch::Runner runner(converter, {});
  batch::Item item;
  item.path = item.name = (temp_dir("batch-missing") / "no-such-report.txt").string();
  const batch::Result r = runner.convert(item);
  BOOST_REQUIRE(r.error.has_value());
  BOOST_CHECK(r.error->kind() == ErrorKind::input_missing);
}

BOOST_AUTO_TEST_CASE(folders_are_listed_in_path_order_without_hidden_entries) {
  const fs::path dir = temp_dir("batch-listing");
  fs::remove_all(dir);
  fs::create_directories(dir / "b" / ".hidden-dir");
  fs::create_directories(dir / "a");
  for (const char* f : {"b/2.txt", "a/1.txt", "a/0.xml", "b/.hidden.txt", "b/.hidden-dir/3.txt", "c.txt"}) std::ofstream(dir / f) << "x";
  std::vector<std::string> got;
  for (const auto& in : batch::list_inputs({dir.string()}, {})) got.push_back(in.relative);
  BOOST_CHECK((got == std::vector<std::string>{"a/0.xml", "a/1.txt", "b/2.txt", "c.txt"}));
  got.clear();
  for (const auto& in : batch::list_inputs({dir.string()}, {"*.txt"})) got.push_back(in.relative);
  BOOST_CHECK((got == std::vector<std::string>{"a/1.txt", "b/2.txt", "c.txt"}));
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
