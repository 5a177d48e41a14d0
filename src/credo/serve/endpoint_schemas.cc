// The JSON schemas of the API's bodies (OpenAPI 3.0's subset of JSON Schema), written as JSON so
// they read as they will be published; the error body's codes come from error_codes.h.
#include <nlohmann/json.hpp>

#include "credo/serve/endpoint_catalog.h"
#include "credo/serve/error_codes.h"

namespace credo::serve {
namespace {

constexpr const char* kSchemas = R"json({
  "Health": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok"]}}},
  "Ready": {
    "type": "object", "required": ["status", "model", "version"],
    "properties": {
      "status": {"type": "string", "enum": ["ready"]},
      "model": {"type": "string", "description": "the model URI served"},
      "version": {"type": "integer", "description": "its registered version"}}},
  "ModelRef": {
    "type": "object", "required": ["name", "version", "alias"],
    "description": "the registered model version that answered",
    "properties": {
      "name": {"type": "string"}, "version": {"type": "integer"},
      "alias": {"type": "string", "description": "empty when the URI named a version"}}},
  "Version": {
    "type": "object", "required": ["credo", "model"],
    "properties": {"credo": {"type": "string"}, "model": {"$ref": "#/components/schemas/ModelRef"}}},
  "CostMatrix": {
    "type": "object", "required": ["false_negative", "false_positive", "true_positive", "true_negative"],
    "description": "the business cost of each outcome; the threshold minimises the expected cost",
    "properties": {
      "false_negative": {"type": "number", "description": "a defaulter accepted"},
      "false_positive": {"type": "number", "description": "a good client refused"},
      "true_positive": {"type": "number"}, "true_negative": {"type": "number"}}},
  "ModelInput": {
    "type": "object", "required": ["name", "type", "table", "description"],
    "properties": {"name": {"type": "string"}, "type": {"type": "string"}, "table": {"type": "string"},
                   "description": {"type": "string"}}},
  "ModelInfo": {
    "type": "object",
    "required": ["name", "version", "alias", "uri", "run_id", "algorithm", "imbalance", "threshold", "decision_rule",
                 "cost_matrix", "metrics", "trained", "clients", "inputs"],
    "properties": {
      "name": {"type": "string"}, "version": {"type": "integer"}, "alias": {"type": "string"},
      "uri": {"type": "string"}, "run_id": {"type": "string"}, "algorithm": {"type": "string"},
      "imbalance": {"type": "string", "description": "how the minority class was handled in training"},
      "threshold": {"type": "number", "minimum": 0, "maximum": 1},
      "decision_rule": {"type": "string"},
      "cost_matrix": {"$ref": "#/components/schemas/CostMatrix"},
      "metrics": {
        "type": "object", "description": "cross-validation and hold-out figures (AUC, business cost, ...)",
        "properties": {"cv": {"type": "object", "additionalProperties": true},
                       "holdout": {"type": "object", "additionalProperties": true}}},
      "trained": {"type": "string", "format": "date-time"},
      "clients": {"type": "integer", "description": "known clients the service can score by id"},
      "inputs": {"type": "array", "items": {"$ref": "#/components/schemas/ModelInput"}}}},
  "History": {
    "type": "object",
    "description": "the applicant's rows in the other Kaggle tables, column names as in the CSV files",
    "properties": {
      "bureau": {"type": "array", "items": {"type": "object", "additionalProperties": true}},
      "bureau_balance": {"type": "array", "items": {"type": "object", "additionalProperties": true}},
      "previous_application": {"type": "array", "items": {"type": "object", "additionalProperties": true}},
      "POS_CASH_balance": {"type": "array", "items": {"type": "object", "additionalProperties": true}},
      "installments_payments": {"type": "array", "items": {"type": "object", "additionalProperties": true}},
      "credit_card_balance": {"type": "array", "items": {"type": "object", "additionalProperties": true}}}},
  "ScoreRequest": {
    "type": "object",
    "description": "a new application (application, history), or a known client_id, optionally with application fields changed (a what-if)",
    "properties": {
      "client_id": {"type": "integer", "description": "SK_ID_CURR of a known client"},
      "application": {"type": "object", "additionalProperties": true,
                      "description": "application_train.csv fields by column name (AMT_CREDIT, DAYS_BIRTH, ...)"},
      "history": {"$ref": "#/components/schemas/History"}}},
  "Score": {
    "type": "object",
    "required": ["client_id", "probability", "decision", "threshold", "distance_to_threshold", "risk_band", "model",
                 "request_id"],
    "properties": {
      "client_id": {"type": "integer", "nullable": true, "description": "null for a new application"},
      "probability": {"type": "number", "minimum": 0, "maximum": 1, "description": "of default"},
      "decision": {"type": "string", "enum": ["ACCEPTED", "REFUSED"],
                   "description": "REFUSED when probability >= threshold"},
      "threshold": {"type": "number"},
      "distance_to_threshold": {"type": "number", "description": "probability - threshold"},
      "risk_band": {"type": "string", "enum": ["low", "moderate", "high", "very high"]},
      "model": {"$ref": "#/components/schemas/ModelRef"},
      "request_id": {"type": "string"},
      "changed_fields": {"type": "array", "items": {"type": "string"},
                         "description": "a what-if's application fields that differ from the client's"}}},
  "BatchScoreRequest": {
    "type": "object", "required": ["applications"],
    "properties": {"applications": {"type": "array", "maxItems": 1000, "items": {"$ref": "#/components/schemas/ScoreRequest"}}}},
  "BatchScoreResponse": {
    "type": "object", "required": ["results"],
    "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Score"},
                               "description": "in the order of the applications"}}},
  "Reason": {
    "type": "object",
    "required": ["feature", "description", "value", "contribution_log_odds", "contribution_probability", "sentence"],
    "properties": {
      "feature": {"type": "string"}, "description": {"type": "string"},
      "value": {"type": "number", "nullable": true, "description": "the client's value; null when missing"},
      "contribution_log_odds": {"type": "number", "description": "its SHAP value"},
      "contribution_probability": {"type": "number", "description": "approximate change in probability"},
      "sentence": {"type": "string", "description": "the reason in words"}}},
  "Explanation": {
    "type": "object",
    "required": ["client_id", "probability", "decision", "threshold", "base_value", "log_odds",
                 "reasons_toward_refusal", "reasons_toward_acceptance", "model", "request_id"],
    "properties": {
      "client_id": {"type": "integer", "nullable": true},
      "probability": {"type": "number"},
      "decision": {"type": "string", "enum": ["ACCEPTED", "REFUSED"]},
      "threshold": {"type": "number"},
      "base_value": {"type": "object", "required": ["log_odds", "probability"],
                     "description": "the model's average answer, before any feature",
                     "properties": {"log_odds": {"type": "number"}, "probability": {"type": "number"}}},
      "log_odds": {"type": "number", "description": "base_value.log_odds plus every contribution"},
      "reasons_toward_refusal": {"type": "array", "items": {"$ref": "#/components/schemas/Reason"}},
      "reasons_toward_acceptance": {"type": "array", "items": {"$ref": "#/components/schemas/Reason"}},
      "contributions": {"type": "object", "additionalProperties": {"type": "number"},
                        "description": "every feature's contribution in log-odds (with ?all=true)"},
      "model": {"$ref": "#/components/schemas/ModelRef"},
      "request_id": {"type": "string"}}},
  "Importance": {
    "type": "object", "required": ["method", "features"],
    "properties": {
      "method": {"type": "string"},
      "features": {"type": "array", "items": {
        "type": "object", "required": ["feature", "description", "importance", "share"],
        "properties": {"feature": {"type": "string"}, "description": {"type": "string"},
                       "importance": {"type": "number"},
                       "share": {"type": "number", "description": "of the total importance"}}}}}},
  "ClientInfo": {
    "type": "object", "required": ["client_id", "fields", "outcome"],
    "properties": {
      "client_id": {"type": "integer"},
      "fields": {"type": "array", "items": {
        "type": "object", "required": ["name", "label", "value", "description"],
        "properties": {"name": {"type": "string"}, "label": {"type": "string"},
                       "value": {"description": "a number, a text or null"}, "description": {"type": "string"}}}},
      "outcome": {"type": "string", "nullable": true, "enum": ["defaulted", "repaid", null],
                  "description": "null when unknown (a client of the test set)"}}},
  "Population": {
    "type": "object", "required": ["feature", "description", "clients", "missing"],
    "properties": {
      "feature": {"type": "string"}, "description": {"type": "string"},
      "clients": {"type": "integer", "description": "clients after the filter"},
      "missing": {"type": "integer"},
      "bins": {"type": "array", "description": "for a numeric feature", "items": {
        "type": "object", "required": ["from", "to", "count", "default_rate"],
        "properties": {"from": {"type": "number"}, "to": {"type": "number"}, "count": {"type": "integer"},
                       "default_rate": {"type": "number", "nullable": true}}}},
      "levels": {"type": "array", "description": "for a categorical feature", "items": {
        "type": "object", "required": ["level", "count", "default_rate"],
        "properties": {"level": {"type": "string"}, "count": {"type": "integer"},
                       "default_rate": {"type": "number", "nullable": true}}}},
      "client": {"type": "object", "description": "where ?client= stands", "required": ["value", "bin", "percentile"],
                 "properties": {"value": {"nullable": true}, "bin": {"type": "integer", "nullable": true},
                                "percentile": {"type": "number", "nullable": true}}}}},
  "ClientSearch": {
    "type": "object", "required": ["prefix", "clients", "total"],
    "properties": {
      "prefix": {"type": "string"},
      "clients": {"type": "array", "items": {"type": "integer"}, "description": "SK_ID_CURR, smallest first"},
      "total": {"type": "integer", "description": "how many known clients match"}}},
  "Similar": {
    "type": "object", "required": ["client_id", "features_compared", "neighbours", "default_share"],
    "properties": {
      "client_id": {"type": "integer"},
      "features_compared": {"type": "array", "items": {"type": "string"}},
      "neighbours": {"type": "array", "items": {
        "type": "object", "required": ["client_id", "distance", "outcome"], "additionalProperties": true,
        "properties": {"client_id": {"type": "integer"}, "distance": {"type": "number"},
                       "outcome": {"type": "string", "nullable": true, "enum": ["defaulted", "repaid", null]}}}},
      "default_share": {"type": "number", "nullable": true, "description": "among neighbours of known outcome"}}},
  "OutcomeRequest": {
    "type": "object", "required": ["client_id", "defaulted"],
    "properties": {"client_id": {"type": "integer"}, "defaulted": {"type": "boolean"},
                   "observed_at": {"type": "string", "format": "date", "description": "ISO date; today when absent"}}},
  "OutcomeRecorded": {
    "type": "object", "required": ["client_id", "recorded"],
    "properties": {"client_id": {"type": "integer"}, "recorded": {"type": "boolean"}}},
  "ReloadResult": {
    "type": "object", "required": ["reloaded", "from_version", "to_version"],
    "properties": {"reloaded": {"type": "boolean", "description": "false when the URI still names the version served"},
                   "from_version": {"type": "integer"}, "to_version": {"type": "integer"}}},
  "InvocationsRequest": {
    "type": "object",
    "description": "MLflow's scoring protocol: exactly one of dataframe_split, dataframe_records, instances or inputs",
    "properties": {
      "dataframe_split": {"type": "object", "required": ["columns", "data"],
                          "properties": {"columns": {"type": "array", "items": {"type": "string"}},
                                         "data": {"type": "array", "items": {"type": "array", "items": {}}}}},
      "dataframe_records": {"type": "array", "items": {"type": "object", "additionalProperties": true}},
      "instances": {"type": "array", "items": {}},
      "inputs": {"description": "rows as in instances, or columns as an object of arrays"},
      "params": {"type": "object", "additionalProperties": true}}},
  "InvocationsResponse": {
    "type": "object", "required": ["predictions"],
    "properties": {"predictions": {"type": "array", "items": {"type": "number"},
                                   "description": "probabilities of default, one per row"}}}
})json";

}  // namespace

const nlohmann::json& api_schemas() {
  static const nlohmann::json schemas = [] {
    nlohmann::json all = nlohmann::json::parse(kSchemas);
    nlohmann::json codes = nlohmann::json::array();
    for (const ErrorCode& code : error_codes()) codes.push_back(code.code);
    all["Error"] = {
        {"type", "object"},
        {"required", {"error"}},
        {"properties",
         {{"error",
           {{"type", "object"},
            {"required", {"status", "code", "message", "request_id"}},
            {"properties",
             {{"status", {{"type", "integer"}, {"description", "the HTTP status again"}}},
              {"code", {{"type", "string"}, {"enum", codes}}},
              {"message", {{"type", "string"}, {"description", "what went wrong, for the caller"}}},
              {"request_id", {{"type", "string"}, {"description", "also in the X-Request-Id header and the access log"}}}}}}}}}};
    return all;
  }();
  return schemas;
}

}  // namespace credo::serve
