// bench.cpp — casefhir_bench: how fast one core turns case reports into FHIR JSON, and at what
// memory cost (DESIGN.md "Performance and scale"; STYLE.md section 9).
//
//   make bench                                         # 50 MB corpus, 5 passes, samples/*.txt
//   ./build/bench/casefhir_bench --size-mb 2 --repeats 1   # a short run, e.g. under callgrind
//
// What is timed is what a user pays for per document: Converter::convert (read, NLP, mapping,
// Bundle, written as compact JSON text). The corpus is every samples/*.txt, replicated
// round-robin into separate in-memory documents until it reaches --size-mb, so no file I/O is
// timed. Mappings load once (timed separately) into one Converter; one thread converts every
// document, the whole pass runs --repeats times, and the table gives each pass and the median.
// MB means 10^6 bytes throughout, peak RSS included.
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "casefhir/converter.h"
#include "casefhir/errors.h"
#include "casefhir/fhir.h"
#include "casefhir/mapping.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr double kMB = 1e6;

struct Options {
  double size_mb = 50.0;
  int repeats = 5;
  fs::path samples = CASEFHIR_BENCH_SAMPLES_DIR;
};

struct Document {
  std::string name;
  std::string text;
};

struct Pass {
  double seconds = 0;
  std::uint64_t input_bytes = 0;
  std::uint64_t output_bytes = 0;
  std::uint64_t documents = 0;
  std::uint64_t failed = 0;

  double input_mb_s() const { return static_cast<double>(input_bytes) / kMB / seconds; }
  double output_mb_s() const { return static_cast<double>(output_bytes) / kMB / seconds; }
  double documents_s() const { return static_cast<double>(documents) / seconds; }
};

const char* const kUsage =
    "usage: casefhir_bench [--size-mb MB] [--repeats N] [--samples DIR]\n"
    "  --size-mb MB   corpus size in MB (10^6 bytes), samples replicated round-robin (default 50)\n"
    "  --repeats N    timed passes over the whole corpus; the median is reported (default 5)\n"
    "  --samples DIR  folder whose *.txt files seed the corpus (default: the repository's samples/)\n";

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "casefhir_bench: " << message << "\n" << kUsage;
  std::exit(2);
}

template <typename T>
T parse_number(std::string_view option, std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    usage_error(std::string(option) + ": not a number: '" + std::string(text) + "'");
  }
  return value;
}

Options parse_options(int argc, char** argv) {
  Options options;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::string_view value;
    bool has_value = false;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    auto next = [&]() -> std::string_view {
      if (has_value) return value;
      if (i + 1 >= args.size()) usage_error(std::string(arg) + " needs a value");
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "--size-mb") {
      options.size_mb = parse_number<double>(arg, next());
      if (!(options.size_mb > 0)) usage_error("--size-mb must be > 0");
    } else if (arg == "--repeats") {
      options.repeats = parse_number<int>(arg, next());
      if (options.repeats < 1) usage_error("--repeats must be >= 1");
    } else if (arg == "--samples") {
      options.samples = std::string(next());
    } else {
      usage_error("unknown option '" + std::string(arg) + "'");
    }
  }
  return options;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(fs::file_size(path)), '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
    throw std::runtime_error("cannot read " + path.string());
  }
  return text;
}

// Every *.txt in the folder, sorted by name so the corpus is the same on every machine.
std::vector<Document> read_samples(const fs::path& folder) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Document> samples;
  for (const auto& path : paths) samples.push_back({path.filename().string(), read_file(path)});
  return samples;
}

// Replicas are separate strings (separate allocations) with distinct names, as separate files
// would be; the converter keeps no state between documents, so equal texts cost the same each time.
std::vector<Document> build_corpus(const std::vector<Document>& samples, std::uint64_t target_bytes) {
  std::vector<Document> corpus;
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; bytes < target_bytes || corpus.empty(); ++i) {
    const Document& sample = samples[i % samples.size()];
    const fs::path name(sample.name);
    corpus.push_back({name.stem().string() + "-" + std::to_string(i / samples.size()) + name.extension().string(),
                      sample.text});
    bytes += sample.text.size();
  }
  return corpus;
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0 / kMB;  // Linux: ru_maxrss is in KiB
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

Pass run_pass(const casefhir::Converter& converter, const std::vector<Document>& corpus) {
  Pass pass;
  const auto start = Clock::now();
  for (const Document& doc : corpus) {
    try {
      const casefhir::Conversion conversion = converter.convert(doc.text, doc.name);
      // The sizes are printed, and convert lives in another translation unit, so none of the
      // work above can be discarded.
      pass.output_bytes += conversion.bundle.size();
    } catch (const casefhir::Error&) {
      ++pass.failed;   // an input error ends one document, not the run (errors.h)
    }
    pass.input_bytes += doc.text.size();
    ++pass.documents;
  }
  pass.seconds = seconds_since(start);
  return pass;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

std::string fixed(double value, int precision) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(precision);
  out << value;
  return out.str();
}

void print_row(const std::string& label, double seconds, double in_mb_s, double docs_s, double out_mb_s,
               const std::string& note) {
  std::printf("%-8s %10s %12s %14s %13s%s%s\n", label.c_str(), fixed(seconds, 3).c_str(), fixed(in_mb_s, 2).c_str(),
              fixed(docs_s, 0).c_str(), fixed(out_mb_s, 2).c_str(), note.empty() ? "" : "  ", note.c_str());
}

int run(const Options& options) {
  const std::vector<Document> samples = read_samples(options.samples);
  if (samples.empty()) {
    std::cerr << "casefhir_bench: no *.txt files in " << options.samples << "\n";
    return 1;
  }
  const auto target = static_cast<std::uint64_t>(options.size_mb * kMB);
  const std::vector<Document> corpus = build_corpus(samples, target);
  std::uint64_t corpus_bytes = 0;
  for (const Document& doc : corpus) corpus_bytes += doc.text.size();

  const auto load_start = Clock::now();
  casefhir::Converter converter(casefhir::Mappings::load({}));
  const double load_seconds = seconds_since(load_start);
  const double rss_before = peak_rss_mb();

  std::printf("casefhir_bench — casefhir %s, build type %s, one thread; MB = 10^6 bytes\n",
              std::string(casefhir::version()).c_str(), CASEFHIR_BENCH_BUILD_TYPE);
  std::printf("samples : %zu files from %s\n", samples.size(), options.samples.string().c_str());
  std::printf("corpus  : %zu documents, %s MB in memory (round-robin replicas)\n", corpus.size(),
              fixed(static_cast<double>(corpus_bytes) / kMB, 2).c_str());
  std::printf("mappings: default mappings loaded in %s ms\n", fixed(load_seconds * 1e3, 2).c_str());
  std::printf("work    : Converter::convert (Bundle as compact JSON text) per document, %d passes\n\n", options.repeats);
  std::printf("%-8s %10s %12s %14s %13s\n", "pass", "seconds", "input MB/s", "documents/s", "output MB/s");
  std::fflush(stdout);

  std::vector<Pass> passes;
  for (int r = 0; r < options.repeats; ++r) {
    passes.push_back(run_pass(converter, corpus));
    const Pass& p = passes.back();
    std::string note;
    if (p.failed > 0) note += std::to_string(p.failed) + " documents failed; ";
    if (p.output_bytes != passes.front().output_bytes) note += "output size differs from pass 1 (not deterministic?)";
    print_row(std::to_string(r + 1), p.seconds, p.input_mb_s(), p.documents_s(), p.output_mb_s(), note);
    std::fflush(stdout);
  }

  std::vector<double> seconds, in_mb_s, docs_s, out_mb_s;
  for (const Pass& p : passes) {
    seconds.push_back(p.seconds);
    in_mb_s.push_back(p.input_mb_s());
    docs_s.push_back(p.documents_s());
    out_mb_s.push_back(p.output_mb_s());
  }
  const double med_in = median(in_mb_s), med_docs = median(docs_s), med_out = median(out_mb_s);
  print_row("median", median(seconds), med_in, med_docs, med_out, "");

  const double rss_peak = peak_rss_mb();
  std::printf("\noutput  : %s MB of JSON per pass (%s× the input)\n",
              fixed(static_cast<double>(passes.front().output_bytes) / kMB, 2).c_str(),
              fixed(static_cast<double>(passes.front().output_bytes) / static_cast<double>(corpus_bytes), 2).c_str());
  std::printf("memory  : peak RSS %s MB (%s MB before the first pass: corpus + mappings; conversion added %s MB)\n",
              fixed(rss_peak, 1).c_str(), fixed(rss_before, 1).c_str(), fixed(rss_peak - rss_before, 1).c_str());
  std::printf("median: %s MB/s, %s documents/s, peak RSS %s MB\n", fixed(med_in, 2).c_str(), fixed(med_docs, 0).c_str(),
              fixed(rss_peak, 1).c_str());

  for (const Pass& p : passes) {
    if (p.failed > 0) return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::cerr << "casefhir_bench: " << e.what() << "\n";
    return 1;
  }
}
