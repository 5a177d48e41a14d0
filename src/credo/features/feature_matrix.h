// The feature matrix: what the features stage hands to training and to the scoring service.
// One row per client, float32 values row-major (the layout XGBoost's XGDMatrixCreateFromMat takes,
// and one client is one contiguous row), NaN = missing, with a dictionary saying what each feature is.
//
// File format (".cfm", little-endian only; all offsets in bytes from the start of the file):
//   0   char[8]  magic "CREDOFM1"
//   8   uint32   format version (kFeatureFileVersion)
//   12  uint32   byte-order mark 0x0A0B0C0D (a big-endian writer would show 0x0D0C0B0A)
//   16  uint64   length L of the JSON header
//   24  uint64   total file size (a truncated file is recognised before anything is parsed)
//   32  char[L]  JSON header: {"rows": n, "features": [{name, table, filter, aggregation,
//                source_column, description}...], "metadata": {...},
//                "sections": {"ids"|"targets"|"is_test"|"values": {"offset": o, "bytes": b}}}
//   then the sections, each starting on a 64-byte boundary, zero padding between them:
//        ids      int64[n]       SK_ID_CURR
//        targets  int8[n]        0, 1, or -1 when unknown
//        is_test  uint8[n]       1 for clients of application_test
//        values   float32[n*f]   row-major, NaN = missing
// A loaded file is memory-mapped, so opening costs no copy and no parse of the values.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/large_vector.h"
#include "credo/base/status.h"

namespace credo {

inline constexpr char kFeatureFileMagic[8] = {'C', 'R', 'E', 'D', 'O', 'F', 'M', '1'};
inline constexpr uint32_t kFeatureFileVersion = 1;

// What a feature is, in words the API and dashboard can use.
struct FeatureInfo {
  std::string name;           // e.g. "BURO_ACTIVE_AMT_CREDIT_SUM_DEBT_MEAN"
  std::string table;          // source table: "application", "bureau", ...
  std::string filter;         // row filter name ("ACTIVE") or ""
  std::string aggregation;    // "mean", "max", "share:Active"... or "" (a column of the application row)
  std::string source_column;  // "AMT_CREDIT_SUM_DEBT" (or a derived column's name)
  std::string description;    // "Mean current debt on active Credit Bureau credits"

  bool operator==(const FeatureInfo&) const = default;
};

// Whether the feature is a 0/1 indicator: a binary encoding or one level of a one-hot encoding.
inline bool is_indicator(const FeatureInfo& feature) {
  return feature.aggregation == "binary" || feature.aggregation.rfind("onehot:", 0) == 0;
}

class FileMapping;  // a read-only memory map of a feature file (feature_matrix.cc)

// One row per client (train and test), float32 values row-major, NaN = missing.
// Its storage is owned (LargeVector) when built in memory, or a private map of the file when
// loaded; writing to a loaded matrix changes this process's copy, never the file. Copies are
// deep and independent; moves are cheap. Const member functions may be called concurrently.
class FeatureMatrix {
 public:
  FeatureMatrix() = default;
  // All values NaN, ids 0, targets -1, no test client. Feature names must be distinct.
  FeatureMatrix(std::vector<FeatureInfo> features, size_t rows);
  FeatureMatrix(const FeatureMatrix& other);
  FeatureMatrix& operator=(const FeatureMatrix& other);
  FeatureMatrix(FeatureMatrix&& other) noexcept;
  FeatureMatrix& operator=(FeatureMatrix&& other) noexcept;
  ~FeatureMatrix();

  size_t num_rows() const { return rows_; }
  size_t num_features() const { return features_.size(); }
  const std::vector<FeatureInfo>& features() const { return features_; }
  // Column of the feature called `name`, or -1 if there is none (a hash lookup).
  int feature_index(std::string_view name) const;

  int64_t id(size_t row) const { return ids_[row]; }         // SK_ID_CURR
  int target(size_t row) const { return targets_[row]; }     // 0, 1, or -1 when unknown (test clients)
  bool is_test(size_t row) const { return is_test_[row] != 0; }  // from application_test
  void set_client(size_t row, int64_t id, int target, bool is_test);

  float* row(size_t r) {
    if (!writable_) make_writable();
    return values_ + r * num_features();
  }
  const float* row(size_t r) const { return values_ + r * num_features(); }
  float value(size_t row, size_t feature) const { return values_[row * num_features() + feature]; }
  // Whole columns of the client fields and all values, row-major (num_rows() x num_features()).
  std::span<const int64_t> ids() const { return {ids_, rows_}; }
  std::span<const int8_t> targets() const { return {targets_, rows_}; }
  std::span<const uint8_t> test_flags() const { return {is_test_, rows_}; }
  std::span<const float> values() const { return {values_, rows_ * num_features()}; }

  // Row of the client `id`, or nullopt. Ids need not be sorted; with duplicate ids the first row
  // is found. The index (dense when the id range is compact, else hashed) is built on first use.
  std::optional<size_t> find_row(int64_t id) const;

  // Free-form, saved in the file (the fitted feature spec).
  nlohmann::json& metadata() { return metadata_; }
  const nlohmann::json& metadata() const { return metadata_; }

  // Whether the values live in a mapped file rather than in owned memory.
  bool is_mapped() const { return mapping_ != nullptr; }

 private:
  friend StatusOr<FeatureMatrix> read_feature_matrix(const std::string& path);

  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // id -> row; built lazily by find_row under a mutex, dropped by set_client.
  struct IdIndex {
    std::mutex mutex;
    std::atomic<bool> built{false};
    int64_t min_id = 0;
    std::vector<uint32_t> dense;  // row + 1 of id min_id + i, 0 = absent
    std::unordered_map<int64_t, uint32_t> sparse;
  };

  // The duplicated feature name, or "" when all are distinct.
  std::string index_feature_names();
  void build_id_index() const;
  // Lets a mapped matrix be written: its pages become copy-on-write pages of this process.
  void make_writable();
  void swap(FeatureMatrix& other) noexcept;

  std::vector<FeatureInfo> features_;
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> feature_index_;
  size_t rows_ = 0;
  nlohmann::json metadata_ = nlohmann::json::object();

  // Owned storage (empty when mapped).
  LargeVector<int64_t> owned_ids_;
  LargeVector<int8_t> owned_targets_;
  LargeVector<uint8_t> owned_is_test_;
  LargeVector<float> owned_values_;
  std::shared_ptr<FileMapping> mapping_;

  // Where the data is, in the owned vectors or in the mapping.
  int64_t* ids_ = nullptr;
  int8_t* targets_ = nullptr;
  uint8_t* is_test_ = nullptr;
  float* values_ = nullptr;
  bool writable_ = true;  // false while a mapping is read-only

  std::unique_ptr<IdIndex> id_index_ = std::make_unique<IdIndex>();
};

// Writes the binary format above; written to PATH.tmp then renamed, so a reader never sees half a file.
Status write_feature_matrix(const FeatureMatrix& m, const std::string& path);
// Loads a file written by write_feature_matrix (memory-mapped). Errors (NotFound, ParseError
// "not a credo feature file", truncated file, version mismatch) name the path.
StatusOr<FeatureMatrix> read_feature_matrix(const std::string& path);
// The same matrix as CSV for other tools: header SK_ID_CURR,TARGET,SET,<features...>; TARGET empty
// when unknown, SET train/test, NaN as an empty field, floats in shortest round-trip form.
// Rows are formatted in parallel blocks; written to PATH.tmp then renamed.
Status write_feature_matrix_csv(const FeatureMatrix& m, const std::string& path, int threads = 0);

}  // namespace credo
