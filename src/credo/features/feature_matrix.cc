// The feature matrix container, its binary file (written with stdio, read through mmap) and its
// CSV export (row blocks formatted in parallel, written in order).
#include "credo/features/feature_matrix.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <thread>

#include "credo/base/atomic_file.h"
#include "credo/base/parallel.h"
#include "credo/data/csv_writer.h"

static_assert(std::endian::native == std::endian::little, "credo feature files are little-endian");
static_assert(sizeof(float) == 4 && std::numeric_limits<float>::is_iec559, "feature values are IEEE float32");

namespace credo {

namespace {
constexpr size_t kFixedHeaderBytes = 32;
constexpr size_t kSectionAlignment = 64;
constexpr uint32_t kByteOrderMark = 0x0A0B0C0D;
constexpr const char* kSectionNames[4] = {"ids", "targets", "is_test", "values"};

size_t align_up(size_t n) { return (n + kSectionAlignment - 1) / kSectionAlignment * kSectionAlignment; }

struct Section {
  size_t offset = 0;
  size_t bytes = 0;
};
using Layout = std::array<Section, 4>;  // in the order of kSectionNames

// Bytes of each section for a matrix of `rows` x `features`.
std::array<size_t, 4> section_bytes(size_t rows, size_t features) {
  return {rows * sizeof(int64_t), rows, rows, rows * features * sizeof(float)};
}

Layout layout_sections(size_t data_start, size_t rows, size_t features) {
  Layout layout;
  size_t pos = align_up(data_start);
  auto bytes = section_bytes(rows, features);
  for (size_t s = 0; s < layout.size(); ++s) {
    layout[s] = {pos, bytes[s]};
    pos = align_up(pos + bytes[s]);
  }
  return layout;
}

size_t file_size_of(const Layout& layout) { return layout.back().offset + layout.back().bytes; }

nlohmann::json feature_to_json(const FeatureInfo& f) {
  return {{"name", f.name},
          {"table", f.table},
          {"filter", f.filter},
          {"aggregation", f.aggregation},
          {"source_column", f.source_column},
          {"description", f.description}};
}

FeatureInfo feature_from_json(const nlohmann::json& j) {
  FeatureInfo f;
  f.name = j.at("name").get<std::string>();
  f.table = j.value("table", "");
  f.filter = j.value("filter", "");
  f.aggregation = j.value("aggregation", "");
  f.source_column = j.value("source_column", "");
  f.description = j.value("description", "");
  return f;
}

std::string header_json(const FeatureMatrix& m, const Layout& layout) {
  nlohmann::json header;
  header["rows"] = m.num_rows();
  header["features"] = nlohmann::json::array();
  for (const auto& f : m.features()) header["features"].push_back(feature_to_json(f));
  header["metadata"] = m.metadata();
  for (size_t s = 0; s < layout.size(); ++s)
    header["sections"][kSectionNames[s]] = {{"offset", layout[s].offset}, {"bytes", layout[s].bytes}};
  return header.dump();
}

void put_u32(char* p, uint32_t v) { std::memcpy(p, &v, sizeof v); }
void put_u64(char* p, uint64_t v) { std::memcpy(p, &v, sizeof v); }
uint32_t get_u32(const std::byte* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
uint64_t get_u64(const std::byte* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

// A read-only private map of a whole file; made writable (copy-on-write) on demand.
class FileMapping {
 public:
  FileMapping(std::byte* data, size_t size) : data_(data), size_(size) {}
  ~FileMapping() { ::munmap(data_, size_); }
  FileMapping(const FileMapping&) = delete;
  FileMapping& operator=(const FileMapping&) = delete;
  std::byte* data() const { return data_; }
  size_t size() const { return size_; }
  void make_writable() {
    [[maybe_unused]] int failed = ::mprotect(data_, size_, PROT_READ | PROT_WRITE);
    assert(failed == 0 && "a private file map can always be made writable");
  }

 private:
  std::byte* data_;
  size_t size_;
};

// ---------------------------------------------------------------------------------------------
// The container

FeatureMatrix::FeatureMatrix(std::vector<FeatureInfo> features, size_t rows)
    : features_(std::move(features)), rows_(rows) {
  std::string duplicate = index_feature_names();
  assert(duplicate.empty() && "feature names must be distinct");
  (void)duplicate;
  assert(rows < std::numeric_limits<uint32_t>::max());
  owned_ids_.assign(rows, 0);
  owned_targets_.assign(rows, -1);
  owned_is_test_.assign(rows, 0);
  owned_values_.assign(rows * features_.size(), std::numeric_limits<float>::quiet_NaN());
  ids_ = owned_ids_.data();
  targets_ = owned_targets_.data();
  is_test_ = owned_is_test_.data();
  values_ = owned_values_.data();
}

FeatureMatrix::FeatureMatrix(const FeatureMatrix& other)
    : features_(other.features_),
      feature_index_(other.feature_index_),
      rows_(other.rows_),
      metadata_(other.metadata_),
      owned_ids_(other.ids_, other.ids_ + other.rows_),
      owned_targets_(other.targets_, other.targets_ + other.rows_),
      owned_is_test_(other.is_test_, other.is_test_ + other.rows_),
      owned_values_(other.values_, other.values_ + other.rows_ * other.num_features()) {
  ids_ = owned_ids_.data();
  targets_ = owned_targets_.data();
  is_test_ = owned_is_test_.data();
  values_ = owned_values_.data();
}

FeatureMatrix& FeatureMatrix::operator=(const FeatureMatrix& other) {
  if (this != &other) {
    FeatureMatrix copy(other);
    swap(copy);
  }
  return *this;
}

FeatureMatrix::FeatureMatrix(FeatureMatrix&& other) noexcept { swap(other); }

FeatureMatrix& FeatureMatrix::operator=(FeatureMatrix&& other) noexcept {
  FeatureMatrix moved(std::move(other));
  swap(moved);
  return *this;
}

FeatureMatrix::~FeatureMatrix() = default;

void FeatureMatrix::swap(FeatureMatrix& other) noexcept {
  // Vector buffers change hands with the vectors, so the data pointers stay valid.
  std::swap(features_, other.features_);
  std::swap(feature_index_, other.feature_index_);
  std::swap(rows_, other.rows_);
  std::swap(metadata_, other.metadata_);
  std::swap(owned_ids_, other.owned_ids_);
  std::swap(owned_targets_, other.owned_targets_);
  std::swap(owned_is_test_, other.owned_is_test_);
  std::swap(owned_values_, other.owned_values_);
  std::swap(mapping_, other.mapping_);
  std::swap(ids_, other.ids_);
  std::swap(targets_, other.targets_);
  std::swap(is_test_, other.is_test_);
  std::swap(values_, other.values_);
  std::swap(writable_, other.writable_);
  std::swap(id_index_, other.id_index_);
}

std::string FeatureMatrix::index_feature_names() {
  feature_index_.clear();
  feature_index_.reserve(features_.size());
  for (size_t i = 0; i < features_.size(); ++i) {
    if (!feature_index_.emplace(features_[i].name, static_cast<int>(i)).second) return features_[i].name;
  }
  return "";
}

int FeatureMatrix::feature_index(std::string_view name) const {
  auto it = feature_index_.find(name);
  return it == feature_index_.end() ? -1 : it->second;
}

void FeatureMatrix::make_writable() {
  if (mapping_) mapping_->make_writable();
  writable_ = true;
}

void FeatureMatrix::set_client(size_t row, int64_t id, int target, bool is_test) {
  assert(target >= -1 && target <= 1);
  if (!writable_) make_writable();
  ids_[row] = id;
  targets_[row] = static_cast<int8_t>(target);
  is_test_[row] = is_test ? 1 : 0;
  id_index_->built.store(false, std::memory_order_release);
}

void FeatureMatrix::build_id_index() const {
  IdIndex& index = *id_index_;
  index.dense.clear();
  index.sparse.clear();
  if (rows_ == 0) return;
  auto [lo, hi] = std::minmax_element(ids_, ids_ + rows_);
  // A dense table when the ids cover their range well (Home Credit: 356k ids in 100002..456255).
  // Offsets are computed in uint64_t, where the subtraction cannot overflow.
  auto offset = [lo = static_cast<uint64_t>(*lo)](int64_t id) { return static_cast<uint64_t>(id) - lo; };
  uint64_t span = offset(*hi);
  index.min_id = *lo;
  if (span < 4 * static_cast<uint64_t>(rows_) + 1024) {
    index.dense.assign(span + 1, 0);
    for (size_t r = rows_; r-- > 0;) index.dense[offset(ids_[r])] = static_cast<uint32_t>(r + 1);  // first row wins
  } else {
    index.sparse.reserve(rows_);
    for (size_t r = 0; r < rows_; ++r) index.sparse.emplace(ids_[r], static_cast<uint32_t>(r));
  }
}

std::optional<size_t> FeatureMatrix::find_row(int64_t id) const {
  IdIndex& index = *id_index_;
  if (!index.built.load(std::memory_order_acquire)) {
    std::lock_guard lock(index.mutex);
    if (!index.built.load(std::memory_order_relaxed)) {
      build_id_index();
      index.built.store(true, std::memory_order_release);
    }
  }
  if (rows_ == 0) return std::nullopt;
  if (!index.dense.empty()) {
    uint64_t slot = static_cast<uint64_t>(id) - static_cast<uint64_t>(index.min_id);
    if (slot >= index.dense.size() || index.dense[slot] == 0) return std::nullopt;
    return index.dense[slot] - 1;
  }
  auto it = index.sparse.find(id);
  if (it == index.sparse.end()) return std::nullopt;
  return it->second;
}

// ---------------------------------------------------------------------------------------------
// The binary file

Status write_feature_matrix(const FeatureMatrix& m, const std::string& path) {
  // The section offsets are in the JSON header, whose length moves them: iterate to the fixed
  // point (lengths only grow, so it comes in two or three rounds).
  size_t json_bytes = 0;
  Layout layout;
  std::string json;
  for (;;) {
    layout = layout_sections(kFixedHeaderBytes + json_bytes, m.num_rows(), m.num_features());
    json = header_json(m, layout);
    if (json.size() == json_bytes) break;
    json_bytes = json.size();
  }
  char fixed[kFixedHeaderBytes] = {};
  std::memcpy(fixed, kFeatureFileMagic, sizeof kFeatureFileMagic);
  put_u32(fixed + 8, kFeatureFileVersion);
  put_u32(fixed + 12, kByteOrderMark);
  put_u64(fixed + 16, json.size());
  put_u64(fixed + 24, file_size_of(layout));

  const void* sections[4] = {m.ids().data(), m.targets().data(), m.test_flags().data(), m.values().data()};

  AtomicFile file(path);
  file.write(fixed, sizeof fixed);
  file.write(json.data(), json.size());
  size_t written = kFixedHeaderBytes + json.size();
  static const char kZeros[kSectionAlignment] = {};
  for (size_t s = 0; s < layout.size(); ++s) {
    file.write(kZeros, layout[s].offset - written);  // pad the section to its aligned offset
    written = layout[s].offset;
    file.write(sections[s], layout[s].bytes);
    written += layout[s].bytes;
  }
  return file.commit();
}

namespace {
// Checks the fixed header of a file of `size` bytes starting at `p`; the JSON length on success.
StatusOr<size_t> check_fixed_header(const std::byte* p, size_t size, const std::string& path) {
  size_t magic_bytes = std::min(size, sizeof kFeatureFileMagic);
  if (size == 0 || std::memcmp(p, kFeatureFileMagic, magic_bytes) != 0)
    return Status::ParseError(path + ": not a credo feature file");
  if (size < kFixedHeaderBytes)
    return Status::ParseError(path + ": truncated feature file (" + std::to_string(size) + " bytes)");
  if (uint32_t version = get_u32(p + 8); version != kFeatureFileVersion)
    return Status::ParseError(path + ": feature file format version " + std::to_string(version) +
                              ", this credo reads version " + std::to_string(kFeatureFileVersion));
  if (get_u32(p + 12) != kByteOrderMark)
    return Status::ParseError(path + ": feature file of another byte order");
  uint64_t declared = get_u64(p + 24);
  if (declared != size)
    return Status::ParseError(path + ": " + (size < declared ? "truncated feature file: " : "feature file size ") +
                              std::to_string(size) + " bytes, its header says " + std::to_string(declared));
  uint64_t json_bytes = get_u64(p + 16);
  if (json_bytes > size - kFixedHeaderBytes)
    return Status::ParseError(path + ": corrupt feature file header (JSON length " + std::to_string(json_bytes) + ")");
  return static_cast<size_t>(json_bytes);
}

// Reads the sections of the JSON header and checks them against the file and the matrix shape.
StatusOr<Layout> check_sections(const nlohmann::json& header, size_t data_start, size_t file_size, size_t rows,
                                size_t features, const std::string& path) {
  Layout layout;
  auto expected = section_bytes(rows, features);
  for (size_t s = 0; s < layout.size(); ++s) {
    const auto& j = header.at("sections").at(kSectionNames[s]);
    layout[s] = {j.at("offset").get<size_t>(), j.at("bytes").get<size_t>()};
    std::string what = std::string("section '") + kSectionNames[s] + "' ";
    if (layout[s].bytes != expected[s])
      return Status::ParseError(path + ": " + what + "holds " + std::to_string(layout[s].bytes) + " bytes, " +
                                std::to_string(rows) + " x " + std::to_string(features) + " needs " +
                                std::to_string(expected[s]));
    if (layout[s].offset % kSectionAlignment != 0 || layout[s].offset < data_start ||
        layout[s].offset > file_size || layout[s].bytes > file_size - layout[s].offset)
      return Status::ParseError(path + ": " + what + "at offset " + std::to_string(layout[s].offset) +
                                " lies outside the file or is misaligned");
  }
  return layout;
}
}  // namespace

StatusOr<FeatureMatrix> read_feature_matrix(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such feature file");
    return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::ParseError(path + ": not a credo feature file");
  }
  size_t size = static_cast<size_t>(st.st_size);
  std::byte fixed[kFixedHeaderBytes] = {};
  ssize_t got = ::pread(fd, fixed, sizeof fixed, 0);
  if (got < 0 || static_cast<size_t>(got) != std::min(size, kFixedHeaderBytes)) {
    ::close(fd);
    return Status::IoError(path + ": cannot read");
  }
  auto json_bytes = check_fixed_header(fixed, size, path);
  if (!json_bytes.ok()) {
    ::close(fd);
    return json_bytes.status();
  }
  // Read-only, and populated up front so that a cold file is read in one sequential pass and the
  // service's first lookups do not wait on the disk (populating a private *writable* map would
  // copy every page, hence make_writable later). With the file in the page cache this costs ms.
  void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  int map_errno = errno;
  ::close(fd);
  if (mapped == MAP_FAILED) return Status::IoError(path + ": cannot map: " + std::strerror(map_errno));
  auto mapping = std::make_shared<FileMapping>(static_cast<std::byte*>(mapped), size);
  const std::byte* base = mapping->data();

  FeatureMatrix m;
  Layout layout;
  try {
    auto header = nlohmann::json::parse(reinterpret_cast<const char*>(base) + kFixedHeaderBytes,
                                        reinterpret_cast<const char*>(base) + kFixedHeaderBytes + *json_bytes);
    m.rows_ = header.at("rows").get<size_t>();
    for (const auto& f : header.at("features")) m.features_.push_back(feature_from_json(f));
    if (header.contains("metadata")) m.metadata_ = header["metadata"];
    CREDO_ASSIGN_OR_RETURN(layout, check_sections(header, kFixedHeaderBytes + *json_bytes, size, m.rows_,
                                                  m.features_.size(), path));
  } catch (const nlohmann::json::exception& e) {
    return Status::ParseError(path + ": corrupt feature file header: " + e.what());
  }
  if (m.rows_ >= std::numeric_limits<uint32_t>::max())
    return Status::ParseError(path + ": " + std::to_string(m.rows_) + " rows, more than credo handles");
  if (std::string duplicate = m.index_feature_names(); !duplicate.empty())
    return Status::ParseError(path + ": feature '" + duplicate + "' appears twice");

  auto at = [&](size_t s) { return mapping->data() + layout[s].offset; };
  m.ids_ = reinterpret_cast<int64_t*>(at(0));
  m.targets_ = reinterpret_cast<int8_t*>(at(1));
  m.is_test_ = reinterpret_cast<uint8_t*>(at(2));
  m.values_ = reinterpret_cast<float*>(at(3));
  for (size_t r = 0; r < m.rows_; ++r) {
    if (m.targets_[r] < -1 || m.targets_[r] > 1 || m.is_test_[r] > 1)
      return Status::ParseError(path + ": row " + std::to_string(r) + ": target " + std::to_string(m.targets_[r]) +
                                ", is_test " + std::to_string(m.is_test_[r]) + " (corrupt client section)");
  }
  m.mapping_ = std::move(mapping);
  m.writable_ = false;
  return m;
}

// ---------------------------------------------------------------------------------------------
// CSV export

namespace {
// The longest text of one field: a float in shortest form is at most 15 characters ("-1.17549435e-38"),
// plus ".0" and the comma.
constexpr size_t kMaxFloatField = 24;  // "-9999999827968000.0", the widest plain float, fits

// Writes `v` as append_csv_double writes doubles (shortest round-trip digits, "1.0" not "1"), but
// with float's shortest digits: 0.1f is "0.1", not the "0.10000000149011612" of its double.
// Whole numbers under 1e5 (counts, flags, days: many engineered features) take an integer path,
// about ten times faster than the shortest-float search; below 1e5 to_chars never picks the
// exponent form, so the text is the same.
// Formats rows [begin, end) of `m` into `out`.
void format_rows(const FeatureMatrix& m, size_t begin, size_t end, std::string& out) {
  size_t f = m.num_features();
  out.resize((end - begin) * (48 + f * kMaxFloatField));
  char* p = out.data();
  for (size_t r = begin; r < end; ++r) {
    p = std::to_chars(p, p + 20, m.id(r)).ptr;
    *p++ = ',';
    if (m.target(r) >= 0) *p++ = static_cast<char>('0' + m.target(r));
    std::memcpy(p, m.is_test(r) ? ",test" : ",train", m.is_test(r) ? 5 : 6);
    p += m.is_test(r) ? 5 : 6;
    const float* values = m.row(r);
    for (size_t c = 0; c < f; ++c) {
      *p++ = ',';
      p = format_csv_number(p, values[c]);
    }
    *p++ = '\n';
  }
  out.resize(static_cast<size_t>(p - out.data()));
}
}  // namespace

Status write_feature_matrix_csv(const FeatureMatrix& m, const std::string& path, int threads) {
  std::string header = "SK_ID_CURR,TARGET,SET";
  for (const auto& f : m.features()) {
    header.push_back(',');
    append_csv_text(header, f.name);
  }
  header.push_back('\n');

  AtomicFile file(path);
  file.write(header.data(), header.size());
  // Blocks of about 1 MB of text, formatted a wave at a time (bounded memory) while a writer thread
  // writes the previous wave in order: formatting is the cost, and writing hides behind it.
  size_t rows_per_block = std::max<size_t>(1, (1u << 20) / (16 + 10 * m.num_features()));
  size_t blocks = (m.num_rows() + rows_per_block - 1) / rows_per_block;
  size_t n_threads = static_cast<size_t>(threads > 0 ? threads : default_thread_count());
  std::vector<std::string> waves[2];
  waves[0].resize(2 * n_threads);
  waves[1].resize(2 * n_threads);
  std::thread writer;
  for (size_t first = 0, k = 0; first < blocks; first += waves[0].size(), ++k) {
    std::vector<std::string>& wave = waves[k % 2];
    size_t count = std::min(wave.size(), blocks - first);
    parallel_for(count, static_cast<int>(n_threads), [&](size_t i) {
      size_t begin = (first + i) * rows_per_block;
      format_rows(m, begin, std::min(m.num_rows(), begin + rows_per_block), wave[i]);
    });
    if (writer.joinable()) writer.join();
    writer = std::thread([&file, &wave, count] {
      for (size_t i = 0; i < count; ++i) file.write(wave[i].data(), wave[i].size());
    });
  }
  if (writer.joinable()) writer.join();
  return file.commit();
}

}  // namespace credo
