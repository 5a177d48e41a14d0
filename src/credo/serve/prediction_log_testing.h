// An event like those the scoring service logs, for the prediction log's tests and benchmark:
// request id "<thread>-<i>", so that a test can tell which caller's event is (or is not) logged.
#pragma once

#include <string>

#include "credo/store/entities.h"

namespace credo::serve {

inline store::PredictionEvent testing_event(int thread, int i) {
  store::PredictionEvent e;
  e.request_id = std::to_string(thread) + "-" + std::to_string(i);
  e.time_ms = 1000 + i;
  e.model_name = "credit-default";
  e.model_version = 1;
  e.kind = "client";
  e.client_id = 100000 + i;
  e.probability = 0.01 * (i % 100);
  e.threshold = 0.3;
  e.refused = e.probability >= 0.3;
  e.latency_us = 250;
  return e;
}

}  // namespace credo::serve
