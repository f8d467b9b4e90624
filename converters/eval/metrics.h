// eval/metrics.h — counting and reporting: precision / recall / F1 and confusion tables.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace casefhir::eval {

struct Counts {
  std::size_t tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0; }
  double recall() const { return tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

// gold label → predicted label → count
class Confusion {
 public:
  void add(const std::string& gold, const std::string& predicted) { ++cells_[gold][predicted]; ++total_; }
  void merge(const Confusion& other) {
    for (const auto& [g, row] : other.cells_)
      for (const auto& [p, n] : row) cells_[g][p] += n;
    total_ += other.total_;
  }
  std::size_t total() const { return total_; }
  std::size_t cell(const std::string& gold, const std::string& predicted) const {
    const auto row = cells_.find(gold);
    if (row == cells_.end()) return 0;
    const auto c = row->second.find(predicted);
    return c == row->second.end() ? 0 : c->second;
  }
  double accuracy() const;
  Counts counts(const std::string& label) const;   // one-vs-rest for a label
  std::string table(const std::vector<std::string>& labels) const;
  nlohmann::ordered_json json() const;

 private:
  std::map<std::string, std::map<std::string, std::size_t>> cells_;
  std::size_t total_ = 0;
};

std::string percent(double x);
std::string fixed(double x, int digits = 3);

}  // namespace casefhir::eval
