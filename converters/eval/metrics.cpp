#include "eval/metrics.h"

#include <cstdio>
#include <algorithm>
#include <set>

namespace casefhir::eval {

double Confusion::accuracy() const {
  std::size_t right = 0;
  for (const auto& [gold, row] : cells_) {
    const auto it = row.find(gold);
    if (it != row.end()) right += it->second;
  }
  return total_ ? static_cast<double>(right) / static_cast<double>(total_) : 0;
}

Counts Confusion::counts(const std::string& label) const {
  Counts c;
  for (const auto& [gold, row] : cells_)
    for (const auto& [predicted, n] : row) {
      if (gold == label && predicted == label) c.tp += n;
      else if (predicted == label) c.fp += n;
      else if (gold == label) c.fn += n;
    }
  return c;
}

std::string Confusion::table(const std::vector<std::string>& labels) const {
  std::set<std::string> columns(labels.begin(), labels.end());
  for (const auto& [_, row] : cells_)
    for (const auto& [p, __] : row) columns.insert(p);
  std::vector<std::string> cols(labels.begin(), labels.end());
  for (const auto& c : columns)
    if (std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
  char buf[64];
  std::string out = "  gold \\ predicted";
  for (const auto& c : cols) {
    std::snprintf(buf, sizeof buf, " %14s", c.c_str());
    out += buf;
  }
  out += "\n";
  for (const auto& g : labels) {
    std::snprintf(buf, sizeof buf, "  %-17s", g.c_str());
    out += buf;
    const auto row = cells_.find(g);
    for (const auto& c : cols) {
      std::size_t n = 0;
      if (row != cells_.end())
        if (const auto it = row->second.find(c); it != row->second.end()) n = it->second;
      std::snprintf(buf, sizeof buf, " %14zu", n);
      out += buf;
    }
    out += "\n";
  }
  return out;
}

nlohmann::ordered_json Confusion::json() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [gold, row] : cells_)
    for (const auto& [p, n] : row) j[gold][p] = n;
  return j;
}

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * x);
  return buf;
}

std::string fixed(double x, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

}  // namespace casefhir::eval
