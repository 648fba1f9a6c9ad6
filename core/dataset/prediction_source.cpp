#include "dataset/prediction_source.hpp"

#include "dataset/dataset.hpp"
#include "io/json_file.hpp"
#include "dataset/results_file.hpp"
#include "io/simd_values.hpp"
#include "scoring/predictions.hpp"

namespace idm {

namespace {

bool load_results_source(const std::filesystem::path& source, const Dataset& dataset, PredictionSet& out, std::string& error) {
  ResultsFile file;
  if (!scan_results_file(source, file, error)) return false;
  // clip_name is the file stem; the dataset key adds the recording folder.
  std::map<std::string, std::vector<std::string>> keys_by_name;
  for (const DatasetClip& clip : dataset.clips) {
    keys_by_name[std::filesystem::path(clip.key).filename().string()].push_back(clip.key);
  }
  simdjson::dom::parser parser;
  DecodeOptions options;
  options.keep_payload_json = false;
  for (size_t position = 0; position < file.clip_spans.size(); ++position) {
    ResultsClip clip;
    std::string clip_error;
    if (!decode_results_clip(parser, file.clip_spans[position], position, options, clip, clip_error)) {
      out.warnings.push_back(clip_error);
      continue;
    }
    std::string key = clip.clip_name;
    if (!dataset.find(key)) {
      auto it = keys_by_name.find(clip.clip_name);
      if (it == keys_by_name.end()) {
        out.warnings.push_back("$.clips[" + std::to_string(position) + "]: clip \"" + clip.clip_name + "\" is not in the dataset");
        continue;
      }
      if (it->second.size() > 1) {
        out.warnings.push_back("$.clips[" + std::to_string(position) + "]: clip \"" + clip.clip_name +
                               "\" matches " + std::to_string(it->second.size()) + " clips in the dataset; skipped");
        continue;
      }
      key = it->second.front();
    }
    out.by_clip[key] = std::move(clip.predictions);
  }
  return true;
}

bool load_folder_source(const std::filesystem::path& source, PredictionSet& out) {
  std::error_code code;
  simdjson::dom::parser parser;
  for (auto it = std::filesystem::recursive_directory_iterator(source, code); !code && it != std::filesystem::recursive_directory_iterator();
       it.increment(code)) {
    if (it->path().extension() != ".json" || !it->is_regular_file(code)) continue;
    if (it.depth() == 0 && it->path().filename() == "run.json") continue;  // a prediction store's run record
    std::string key = clip_key_of(source, it->path());
    std::string where = it->path().lexically_relative(source).generic_string();
    JsonText text;
    std::string file_error;
    simdjson::dom::element root;
    if (!read_json_text(it->path(), kMaxSmallJsonBytes, text, file_error) || !parse_json_dom(parser, text.view(), root, file_error)) {
      out.warnings.push_back(where + ": " + file_error);
      continue;
    }
    if (root.is_object()) {  // {"predictions": [...]} is accepted as well as a bare array
      auto inner = last_field(root.get_object().value_unsafe(), "predictions");
      if (inner) root = *inner;
    }
    if (!root.is_array()) {
      out.warnings.push_back(where + ": $ is " + std::string(json_type_phrase(root)) + ", expected an array of predictions");
      continue;
    }
    decode_predictions(root.get_array().value_unsafe(), out.by_clip[key]);
  }
  if (code) out.warnings.push_back(source.string() + ": listing stopped: " + code.message());
  return true;
}

}  // namespace

bool load_prediction_source(const std::filesystem::path& source, const Dataset& dataset, PredictionSet& out,
                            std::string& error) {
  out.path = source;
  out.name = source.filename().string();
  if (out.name.empty()) out.name = source.parent_path().filename().string();
  std::error_code code;
  if (std::filesystem::is_directory(source, code)) return load_folder_source(source, out);
  if (!std::filesystem::exists(source, code)) {
    error = source.string() + ": not found";
    return false;
  }
  if (!load_results_source(source, dataset, out, error)) {
    error = source.string() + ": " + error;
    return false;
  }
  return true;
}

}  // namespace idm
