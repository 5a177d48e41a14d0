#include "credo/synth/table_rows.h"

#include "credo/synth/csv_format.h"

namespace credo::synth {

void draw_marginal_row(const TableModel& model, Rng& rng, std::vector<double>& values,
                       std::vector<uint8_t>& missing_scratch) {
  model.draw_missing(rng, missing_scratch);
  values.resize(model.columns.size());
  for (size_t c = 0; c < model.columns.size(); ++c)
    values[c] = missing_scratch[c] ? kMissing : model.columns[c].value_at(rng.uniform());
}

void append_csv_row(const TableModel& model, const double* values, std::string& out, int first_column) {
  for (size_t c = static_cast<size_t>(first_column); c < model.columns.size(); ++c) {
    if (c != static_cast<size_t>(first_column)) out.push_back(',');
    double v = values[c];
    if (is_missing(v)) continue;
    const ColumnModel& col = model.columns[c];
    switch (col.type) {
      case ColumnType::kInt64:
        append_int(out, static_cast<int64_t>(std::llround(v)));
        break;
      case ColumnType::kDouble:
        append_float(out, v, col.decimals);
        break;
      case ColumnType::kCategorical:
        out.append(col.level_fields[static_cast<size_t>(v)]);
        break;
    }
  }
  out.push_back('\n');
}

std::string csv_header(HcTable table) {
  std::string line;
  for (const ColumnSpec& spec : homecredit_schema(table).columns) {
    if (!line.empty()) line.push_back(',');
    line.append(csv_field(spec.name));
  }
  line.push_back('\n');
  return line;
}

}  // namespace credo::synth
