// The prediction log and outcomes in SQLite: batches of events in one transaction with one
// prepared statement, the inputs as a BLOB of float32 (the byte order of this machine, which
// credo only builds for little-endian targets).
#include <bit>
#include <cstring>

#include "credo/store/sqlite_store.h"
#include "credo/train/decision.h"

namespace credo::store {

static_assert(std::endian::native == std::endian::little, "the prediction log stores float32 little-endian");

Status SqliteStore::log_predictions(const std::vector<PredictionEvent>& events) {
  if (events.empty()) return Status::Ok();
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement insert,
                         db_.prepare("INSERT INTO predictions (request_id, time, model_name, model_version, kind, "
                                     "client_id, probability, decision, threshold, latency_us, features) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const PredictionEvent& e : events) {
    insert.bind(1, e.request_id).bind(2, e.time_ms).bind(3, e.model_name).bind(4, e.model_version).bind(5, e.kind);
    insert.bind(6, e.client_id).bind(7, e.probability).bind(8, train::decision_word(e.refused));
    insert.bind(9, e.threshold).bind(10, e.latency_us);
    if (e.features.empty()) insert.bind_null(11);
    else insert.bind_blob(11, std::as_bytes(std::span<const float>(e.features)));
    Status inserted = insert.run();
    if (!inserted.ok()) return Status(inserted.code(), "prediction " + e.request_id + ": " + inserted.message());
    insert.reset();
  }
  return tx.commit();
}

StatusOr<std::vector<PredictionEvent>> SqliteStore::list_predictions(int64_t since_ms, int64_t until_ms,
                                                                     int64_t max_results) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::ReadTransaction tx, sql::ReadTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement select,
                         db_.prepare("SELECT request_id, time, model_name, model_version, kind, client_id, "
                                     "probability, decision, threshold, latency_us, features FROM predictions "
                                     "WHERE time >= ? AND (? = 0 OR time < ?) ORDER BY time, id LIMIT ?"));
  select.bind(1, since_ms).bind(2, until_ms).bind(3, until_ms).bind(4, max_results > 0 ? max_results : int64_t{-1});
  std::vector<PredictionEvent> events;
  CREDO_RETURN_IF_ERROR(select.for_each_row([&] {
    PredictionEvent e;
    e.request_id = select.text(0);
    e.time_ms = select.int64(1);
    e.model_name = select.text(2);
    e.model_version = select.int64(3);
    e.kind = select.text(4);
    e.client_id = select.optional_int64(5);
    e.probability = select.real(6);
    e.refused = select.text(7) == train::kRefused;
    e.threshold = select.real(8);
    e.latency_us = select.int64(9);
    std::span<const std::byte> bytes = select.blob(10);
    e.features.resize(bytes.size() / sizeof(float));
    if (!e.features.empty()) std::memcpy(e.features.data(), bytes.data(), e.features.size() * sizeof(float));
    events.push_back(std::move(e));
  }));
  return events;
}

Status SqliteStore::record_outcome(const Outcome& outcome) {
  if (outcome.target != 0 && outcome.target != 1)
    return Status::InvalidArgument("outcome of client " + std::to_string(outcome.client_id) + ": target " +
                                   std::to_string(outcome.target) + " is not 0 or 1");
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement upsert,
                         db_.prepare("INSERT INTO outcomes VALUES (?, ?, ?, ?) ON CONFLICT(client_id) DO UPDATE SET "
                                     "target = excluded.target, time = excluded.time, source = excluded.source"));
  CREDO_RETURN_IF_ERROR(
      upsert.bind(1, outcome.client_id).bind(2, outcome.target).bind(3, outcome.time_ms).bind(4, outcome.source).run());
  return tx.commit();
}

StatusOr<std::vector<Outcome>> SqliteStore::list_outcomes() {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::ReadTransaction tx, sql::ReadTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement select,
                         db_.prepare("SELECT client_id, target, time, source FROM outcomes ORDER BY client_id"));
  std::vector<Outcome> outcomes;
  CREDO_RETURN_IF_ERROR(select.for_each_row([&] {
    outcomes.push_back({select.int64(0), static_cast<int>(select.int64(1)), select.int64(2), select.text(3)});
  }));
  return outcomes;
}

}  // namespace credo::store
