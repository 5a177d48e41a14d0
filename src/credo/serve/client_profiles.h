// The known clients as a customer-relations officer sees them: the raw application rows of
// application_train and application_test (the features stage keeps only numbers), indexed by
// SK_ID_CURR. The API describes a client from them, the dashboard filters the population by their
// text columns, and a what-if starts from a client's own application row.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"
#include "credo/data/homecredit_loader.h"
#include "credo/data/table.h"

namespace credo::serve {

// How a curated field is shown.
enum class ProfileFieldKind {
  kText,           // a text level as written ("Working")
  kGender,         // F / M / XNA
  kYesNo,          // Y / N
  kCount,          // a whole number
  kAmount,         // money, in the application's currency
  kAgeYears,       // from DAYS_BIRTH (days before the application, negative)
  kYearsEmployed,  // from DAYS_EMPLOYED; the data's kHcNoDate means not employed
  kScore,          // a normalised score in [0, 1]
  kRating,         // a rating 1 (best) .. 3
};

// One field of a client's description: the application column, the key and label the API shows.
struct ProfileField {
  std::string_view key;     // "age_years"
  std::string_view column;  // "DAYS_BIRTH"
  std::string_view label;   // "Age"
  ProfileFieldKind kind;
};

// The curated fields, in the order a client's description lists them (the one list).
std::span<const ProfileField> profile_fields();

struct ClientProfilesOptions {
  int threads = 0;           // CSV reading threads, 0 = all cores
  FILE* progress = nullptr;  // progress bars, nullptr = quiet
};

class ClientProfiles {
 public:
  // Reads application_train and application_test (all their columns) from the Kaggle folder or
  // zip. Errors name the file; an SK_ID_CURR in both files is InvalidArgument naming it.
  static StatusOr<ClientProfiles> load(const HomeCreditSource& source, const ClientProfilesOptions& options = {});
  // The same from the two tables already read with their Home Credit schemas.
  static StatusOr<ClientProfiles> from_tables(const Table& train, const Table& test);

  size_t num_clients() const { return table_.num_rows(); }
  // Row of the client `id` (train rows first, then test rows), or nullopt.
  std::optional<size_t> find(int64_t id) const;
  int64_t id(size_t row) const { return ids_[row]; }
  // 0 repaid, 1 defaulted, -1 unknown (test clients).
  int target(size_t row) const { return targets_[row]; }
  bool is_test(size_t row) const { return row >= num_train_; }
  std::span<const int8_t> targets() const { return targets_; }
  // Every client's application, the columns of application_test in its order (no TARGET).
  const Table& table() const { return table_; }

  // The client's application as a one-row Table with application_test's columns in its order
  // (what the online features take for a what-if), or nullopt for an unknown id.
  std::optional<Table> application_row(int64_t id) const;
  // The curated fields (see profile_fields) with value, readable text and the official
  // description, and the outcome; NotFound "client 12 is not a known client" for an unknown id.
  StatusOr<nlohmann::json> describe(int64_t id) const;
  // A few key values for a list of clients (gender, age, income type, income, credit, outcome).
  nlohmann::json brief(size_t row) const;
  // Age in years at the application from DAYS_BIRTH, or nullopt when missing.
  std::optional<double> age_years(size_t row) const;

 private:
  ClientProfiles() = default;
  Status build_index();

  Table table_;
  std::vector<int64_t> ids_;
  std::vector<int8_t> targets_;
  size_t num_train_ = 0;
  // id -> row: dense over [min_id_, min_id_ + dense_.size()) when ids are compact, else hashed.
  int64_t min_id_ = 0;
  std::vector<uint32_t> dense_;  // row + 1, 0 = absent
  std::unordered_map<int64_t, uint32_t> sparse_;
};

// "The client's outcome": "repaid" for 0, "defaulted" for 1, "unknown" otherwise.
const char* outcome_name(int target);

}  // namespace credo::serve
