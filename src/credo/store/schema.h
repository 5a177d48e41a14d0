// The store's schema, as an ordered list of migrations applied from the first release on.
// A store records its version in SQLite's `user_version`; opening an older store migrates it in
// one transaction, and a store newer than this credo is refused rather than misread.
#pragma once

#include "credo/base/status.h"
#include "credo/store/sqlite.h"

namespace credo::store {

// The schema version this credo writes.
int current_schema_version();

// The version the database is at (0 for a new, empty file).
StatusOr<int> schema_version(sql::Database& db);

// Brings the database to `target_version` (current by default), applying each missing migration
// in order inside one write transaction. Tests pass an older target to build old stores.
Status migrate(sql::Database& db, int target_version = -1);

}  // namespace credo::store
