#pragma once
// What `rsv eval` writes: the JSON of rsv.md §6 (settings, items, table, plus the ceiling, the
// card's reference rows and the relation ranking), the card's tables as Markdown (also what the
// terminal shows) and the table rows as CSV.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rsv_eval/eval.hpp"

namespace idm::rsv_eval {

// Every setting a number depends on, [ASSUMED] ones marked, as "name: value" lines.
std::vector<std::string> settings_lines(const EvalSettings& settings);

nlohmann::ordered_json eval_json(const EvalResult& result, const std::vector<TableRow>& rows, const EvalSettings& settings,
                                 const std::vector<std::string>& tiers);
std::string eval_markdown(const EvalResult& result, const std::vector<TableRow>& rows, const EvalSettings& settings,
                          const std::vector<std::string>& tiers);
std::string eval_csv(const std::vector<TableRow>& rows);

// "Loop > Equiv > Inv" (highest PSNR first; the last is the hardest relation), "=" between cells
// equal as printed (0.01 dB); cells without a value are left out.
std::string relation_ranking(const std::vector<std::pair<std::string, std::optional<double>>>& cells);

}  // namespace idm::rsv_eval
