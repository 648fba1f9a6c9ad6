#include "rsv_eval/eval_report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace idm::rsv_eval {

namespace {

using Json = nlohmann::ordered_json;

struct TableLayout {
  const char* title;
  const char* splits[3];  // Inv, Loop, Equiv ("" when the card has none)
};

const TableLayout kTables[2] = {
    {"Easy tier", {"inverse_easy", "loop_easy", "equivalence_easy"}},
    {"Hard tier (the card holds back equivalence_hard)", {"inverse_hard", "loop_hard", ""}},
};
const char* kRelationShort[3] = {"Inv", "Loop", "Equiv"};

std::string number(double value, const char* format = "%.2f") {
  char text[48];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

const TableRow* find_row(const std::vector<TableRow>& rows, const std::string& run, const std::string& tier, const std::string& split) {
  for (const TableRow& row : rows) {
    if (row.run == run && row.tier == tier && row.split == split) return &row;
  }
  return nullptr;
}

std::string cell_text(const TableRow* row) {
  if (!row || row->value.n == 0) return row && row->unscored ? "- (" + std::to_string(row->unscored) + " unscored)" : "-";
  std::string text = number(row->value.mean) + " [" + number(row->value.low) + ", " + number(row->value.high) + "] n=" +
                     std::to_string(row->value.n);
  if (row->unscored) text += ", " + std::to_string(row->unscored) + " unscored";
  return text;
}

std::string tier_label(const std::string& tier) {
  if (tier == "gt") return "GT-anchored";
  if (tier == "sc") return "self-consistency";
  return tier;
}

Json score_json(const TierScore& score) {
  Json out;
  out["psnr_db"] = score.psnr_db ? Json(*score.psnr_db) : Json(nullptr);
  out["ssim"] = score.ssim ? Json(*score.ssim) : Json(nullptr);
  if (!score.reason.empty()) out["reason"] = score.reason;
  if (!score.frames.empty()) {
    Json frames = Json::array();
    for (const auto& [video, frame] : score.frames) frames.push_back(Json::array({video, frame}));
    out["frames"] = frames;
  }
  return out;
}

}  // namespace

std::string relation_ranking(const std::vector<std::pair<std::string, std::optional<double>>>& cells) {
  std::vector<std::pair<std::string, double>> present;
  for (const auto& [name, value] : cells) {
    if (value) present.emplace_back(name, *value);
  }
  std::stable_sort(present.begin(), present.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  // Cells within 0.005 dB (equal as printed) are ties: "Inv = Loop > Equiv".
  std::string text;
  for (size_t i = 0; i < present.size(); ++i) {
    if (i) text += present[i - 1].second - present[i].second < 0.005 ? " = " : " > ";
    text += present[i].first;
  }
  return text.empty() ? "-" : text;
}

std::vector<std::string> settings_lines(const EvalSettings& settings) {
  return {
      "endpoints: " + rsv::endpoint_policy_name(settings.endpoints) + " [ASSUMED: the card names the endpoint pair, not the frames]",
      std::string("phase: ") + rsv::phase_name(settings.phase) + " [ASSUMED: which pose inside a step a frame shows; closure endpoints only]",
      "psnr: 10 log10(255^2/MSE) over 3*W*H 8-bit RGB values, capped at 100 dB inside means (inf written as 100)",
      "rollout frames: the GT grid (16 fps, 9 frames per step, no context) unless the rollout's sidecar says otherwise [ASSUMED]",
      "size: GT centre-cropped to the rollout's aspect and area-downscaled to its size",
      "interval: 95% percentile bootstrap over items, " + std::to_string(settings.bootstrap.resamples) + " resamples, seed " +
          std::to_string(settings.bootstrap.seed),
      "reference rows: the card's Easy-tier numbers; the card does not state their tier",
  };
}

Json eval_json(const EvalResult& result, const std::vector<TableRow>& rows, const EvalSettings& settings, const std::vector<std::string>& tiers) {
  Json document;
  Json& stamp = document["settings"];
  stamp["endpoints"] = rsv::endpoint_policy_name(settings.endpoints);
  stamp["phase"] = rsv::phase_name(settings.phase);
  stamp["psnr_cap_db"] = 100;
  stamp["bootstrap"] = {{"resamples", settings.bootstrap.resamples}, {"seed", settings.bootstrap.seed}, {"interval", "95% percentile"}};
  stamp["tiers"] = tiers;
  stamp["assumed"] = settings_lines(settings);
  Json runs = Json::array();
  for (const RunInfo& run : result.runs) {
    Json entry = {{"name", run.name}, {"folder", run.folder.string()}};
    if (run.run_json.contains("source")) entry["source"] = run.run_json["source"];
    if (run.run_json.contains("command")) entry["command"] = run.run_json["command"];
    runs.push_back(entry);
  }
  document["runs"] = runs;
  Json items = Json::array();
  for (const ItemScores& item : result.items) {
    for (size_t r = 0; r < result.runs.size(); ++r) {
      for (const std::string& tier : tiers) {
        Json entry = {{"key", item.key}, {"split", item.split}, {"relation", item.relation}, {"run", result.runs[r].name}, {"tier", tier}};
        entry.update(score_json(tier == "gt" ? item.gt[r] : item.sc[r]));
        items.push_back(entry);
      }
    }
  }
  document["items"] = items;
  Json ceiling_items = Json::array();
  for (const ItemScores& item : result.items) {
    Json entry = {{"key", item.key}, {"split", item.split}, {"relation", item.relation}};
    entry.update(score_json(item.ceiling));
    ceiling_items.push_back(entry);
  }
  document["ceiling_items"] = ceiling_items;
  Json table = Json::array();
  Json ceiling = Json::array();
  for (const TableRow& row : rows) {
    Json entry;
    if (!row.run.empty()) entry["run"] = row.run;
    if (row.tier != "ceiling") entry["tier"] = row.tier;
    entry["split"] = row.split;
    entry["n"] = row.value.n;
    entry["mean_psnr_db"] = row.value.n ? Json(row.value.mean) : Json(nullptr);
    entry["ci95_db"] = row.value.n ? Json::array({row.value.low, row.value.high}) : Json(nullptr);
    entry["unscored"] = row.unscored;
    (row.tier == "ceiling" ? ceiling : table).push_back(entry);
  }
  document["table"] = table;
  document["ceiling"] = ceiling;
  Json reference = Json::array();
  for (const ReferenceRow& row : card_reference_rows()) {
    reference.push_back({{"model", row.model}, {"tier", "tier not stated by the card"}, {"inverse_easy", row.inverse_db},
                         {"loop_easy", row.loop_db}, {"equivalence_easy", row.equivalence_db}});
  }
  document["reference"] = reference;
  Json ranking = Json::array();
  for (const TableLayout& layout : kTables) {
    for (const RunInfo& run : result.runs) {
      for (const std::string& tier : tiers) {
        std::vector<std::pair<std::string, std::optional<double>>> cells;
        for (int c = 0; c < 3; ++c) {
          const TableRow* row = *layout.splits[c] ? find_row(rows, run.name, tier, layout.splits[c]) : nullptr;
          cells.emplace_back(kRelationShort[c], row && row->value.n ? std::optional<double>(row->value.mean) : std::nullopt);
        }
        ranking.push_back({{"table", layout.title}, {"run", run.name}, {"tier", tier}, {"ranking", relation_ranking(cells)}});
      }
    }
  }
  document["ranking"] = ranking;
  return document;
}

std::string eval_markdown(const EvalResult& result, const std::vector<TableRow>& rows, const EvalSettings& settings,
                          const std::vector<std::string>& tiers) {
  std::string out;
  for (const TableLayout& layout : kTables) {
    bool any = false;
    for (const char* split : layout.splits) any = any || (*split && find_row(rows, "", "ceiling", split));
    if (!any && &layout != &kTables[0]) continue;
    out += "## " + std::string(layout.title) + ": ";
    for (int c = 0; c < 3; ++c) {
      if (*layout.splits[c]) out += std::string(c ? ", " : "") + kRelationShort[c] + " = " + layout.splits[c];
    }
    out += "\n\n| Model | Tier | Inv PSNR ↑ | Loop PSNR ↑ | Equiv PSNR ↑ | Ranking |\n|---|---|---|---|---|---|\n";
    if (&layout == &kTables[0]) {
      for (const ReferenceRow& row : card_reference_rows()) {
        double values[3] = {row.inverse_db, row.loop_db, row.equivalence_db};
        std::vector<std::pair<std::string, std::optional<double>>> cells;
        out += "| " + std::string(row.model) + " (card) | tier not stated by the card |";
        for (int c = 0; c < 3; ++c) {
          out += " " + number(values[c]) + " |";
          cells.emplace_back(kRelationShort[c], values[c]);
        }
        out += " " + relation_ranking(cells) + " |\n";
      }
    }
    for (const RunInfo& run : result.runs) {
      for (const std::string& tier : tiers) {
        out += "| " + run.name + " | " + tier_label(tier) + " |";
        std::vector<std::pair<std::string, std::optional<double>>> cells;
        for (int c = 0; c < 3; ++c) {
          const TableRow* row = *layout.splits[c] ? find_row(rows, run.name, tier, layout.splits[c]) : nullptr;
          std::string cell = *layout.splits[c] ? cell_text(row) : "-";
          if (tier == "sc" && *layout.splits[c]) {
            const TableRow* ceiling = find_row(rows, "", "ceiling", layout.splits[c]);
            if (ceiling && ceiling->value.n) cell += " (GT " + number(ceiling->value.mean) + ")";
          }
          out += " " + cell + " |";
          cells.emplace_back(kRelationShort[c], row && row->value.n ? std::optional<double>(row->value.mean) : std::nullopt);
        }
        out += " " + relation_ranking(cells) + " |\n";
      }
    }
    out += "| GT video | Layer-2 ceiling (CRF 28) |";
    for (int c = 0; c < 3; ++c) out += " " + (*layout.splits[c] ? cell_text(find_row(rows, "", "ceiling", layout.splits[c])) : std::string("-")) + " |";
    out += " |\n\n";
  }
  out += "Cells: mean PSNR in dB [95% bootstrap interval] over n items.\n\nSettings:\n";
  for (const std::string& line : settings_lines(settings)) out += "- " + line + "\n";
  return out;
}

std::string eval_csv(const std::vector<TableRow>& rows) {
  std::string out = "run,tier,split,n,mean_psnr_db,ci95_low_db,ci95_high_db,unscored\n";
  for (const TableRow& row : rows) {
    out += (row.run.empty() ? std::string("gt-video") : row.run) + "," + row.tier + "," + row.split + "," + std::to_string(row.value.n) + ",";
    if (row.value.n) out += number(row.value.mean, "%.4f") + "," + number(row.value.low, "%.4f") + "," + number(row.value.high, "%.4f");
    else out += ",,";
    out += "," + std::to_string(row.unscored) + "\n";
  }
  return out;
}

}  // namespace idm::rsv_eval
