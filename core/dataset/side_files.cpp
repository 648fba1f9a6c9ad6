#include "dataset/side_files.hpp"

#include <cmath>
#include <memory>
#include <unordered_map>

#include "io/json_file.hpp"
#include "io/link_target.hpp"
#include "scoring/predictions.hpp"
#include "util/python_compat.hpp"

namespace idm {

using Json = nlohmann::ordered_json;

namespace {

std::string key_location(const std::string& location, const std::string& key) { return location + "[" + Json(key).dump() + "]"; }

const char* type_phrase(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::null: return "null";
    default: return "a number";
  }
}

// Python str() of a side-file value, for details that are not strings.
std::string detail_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "None";
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_number_float()) return py::float_repr(value.get<double>());
  return value.dump();
}

IndexKey index_key_of(const Json& value) {
  IndexKey key;
  key.text = value.is_string() ? value.get<std::string>() : value.dump();
  int64_t parsed = 0;
  if (value.is_number_integer()) key.index = value.get<int64_t>();
  else if (value.is_number_unsigned()) key.index = static_cast<int64_t>(std::min<uint64_t>(value.get<uint64_t>(), INT64_MAX));
  else if (value.is_string() && py::parse_int(value.get<std::string>(), parsed)) key.index = parsed;
  return key;
}

bool side_document_from_text(std::string_view text, Json& root, std::string& error) {
  if (!parse_side_json(text, root, error)) return false;
  if (!root.is_object()) {
    error = std::string("$ is ") + type_phrase(root) + ", expected an object keyed by clip";
    return false;
  }
  return true;
}

bool read_side_document(const std::filesystem::path& path, Json& root, bool& present, std::string& error) {
  std::error_code code;
  if (std::string kind = special_file_kind(path); !kind.empty()) {  // checked before opening: a FIFO would block
    present = true;
    error = "is " + kind + ", not a JSON file; it was not read";
    return false;
  }
  if (!std::filesystem::exists(path, code)) {
    present = false;
    return true;
  }
  present = true;
  JsonText text;
  if (!read_json_text(path, kMaxSmallJsonBytes, text, error)) return false;
  return side_document_from_text(text.view(), root, error);
}

void decode_annotations(const std::string& name, AnnotationsFile& out) {
  for (const auto& [clip_key, value] : out.raw.items()) {
    out.clips[clip_key] = parse_clip_labels(value, name + ": " + key_location("$", clip_key), out.warnings);
  }
}

void decode_overrides(const std::string& name, OverridesFile& out) {
  for (const auto& [clip_key, value] : out.raw.items()) {
    ClipOverrides overrides = parse_clip_overrides(value, name + ": " + key_location("$", clip_key));
    out.warnings.insert(out.warnings.end(), overrides.warnings.begin(), overrides.warnings.end());
    out.clips[clip_key] = std::move(overrides);
  }
}

// Builds the ordered document from nlohmann's SAX events. nlohmann's own parser inserts each
// key with ordered_map::operator[], a linear search, so an object with n keys costs n^2/2 string
// compares (100,000 labels in one clip: seconds). Here larger objects get a hash index while
// they are built. The result is the same document: keys in file order, a repeated key keeps
// its first position and its last value.
class OrderedDocumentBuilder : public nlohmann::json_sax<Json> {
 public:
  explicit OrderedDocumentBuilder(Json& root) : root_(root) {}

  bool null() override { return put(Json(nullptr)); }
  bool boolean(bool value) override { return put(Json(value)); }
  bool number_integer(number_integer_t value) override { return put(Json(value)); }
  bool number_unsigned(number_unsigned_t value) override { return put(Json(value)); }
  bool number_float(number_float_t value, const string_t&) override { return put(Json(value)); }
  bool string(string_t& value) override { return put(Json(std::move(value))); }
  bool binary(binary_t&) override { return false; }  // JSON text has no binary values
  bool start_object(std::size_t) override { return open(Json::object()); }
  bool start_array(std::size_t) override { return open(Json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& key) override {
    Level& level = levels_.back();
    auto& entries = static_cast<Json::object_t::Container&>(level.container->get_ref<Json::object_t&>());
    constexpr size_t kIndexFrom = 16;  // below this a scan is cheaper than hashing
    if (!level.index && entries.size() >= kIndexFrom) {
      level.index = std::make_unique<std::unordered_map<std::string, size_t>>();
      for (size_t i = 0; i < entries.size(); ++i) level.index->emplace(entries[i].first, i);
    }
    size_t position = entries.size();
    if (level.index) {
      position = level.index->try_emplace(key, entries.size()).first->second;
    } else {
      for (size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].first == key) position = i;
      }
    }
    if (position == entries.size()) entries.emplace_back(std::move(key), nullptr);
    level.value_slot = &entries[position].second;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  struct Level {
    Json* container = nullptr;
    Json* value_slot = nullptr;  // objects: where the value after the last key goes
    std::unique_ptr<std::unordered_map<std::string, size_t>> index;
  };

  Json* slot() {
    if (levels_.empty()) return &root_;
    Level& level = levels_.back();
    if (level.container->is_array()) {
      level.container->get_ref<Json::array_t&>().emplace_back();
      return &level.container->get_ref<Json::array_t&>().back();
    }
    return level.value_slot;
  }
  bool put(Json value) {
    *slot() = std::move(value);
    return true;
  }
  bool open(Json empty) {
    Json* place = slot();
    *place = std::move(empty);
    levels_.push_back({place, nullptr, nullptr});  // its parent grows no more until it is closed
    return true;
  }
  bool close() {
    levels_.pop_back();
    return true;
  }

  Json& root_;
  std::vector<Level> levels_;
};

std::string_view without_bom(std::string_view text) { return text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text; }

}  // namespace

bool parse_side_json(std::string_view text, Json& out, std::string& error) {
  {
    // simdjson first: it refuses nesting deeper than 1024 levels, which nlohmann's recursive
    // dump() and destructor would otherwise follow until the stack overflows.
    simdjson::padded_string padded(text);
    simdjson::dom::parser parser;
    simdjson::dom::element ignored;
    if (!parse_json_dom(parser, padded, ignored, error)) return false;
  }
  try {
    Json document;
    OrderedDocumentBuilder builder(document);
    if (Json::sax_parse(text.begin(), text.end(), &builder)) {
      out = std::move(document);
      return true;
    }
  } catch (const nlohmann::json::exception&) {
  }
  error = "not valid JSON: " + describe_json_syntax_error(text);
  return false;
}

bool parse_frame_value(const Json& value, int& frame) {
  if (value.is_number_integer() || value.is_number_unsigned()) {
    int64_t number = value.is_number_unsigned() ? static_cast<int64_t>(std::min<uint64_t>(value.get<uint64_t>(), INT64_MAX)) : value.get<int64_t>();
    if (number < 0 || number > 1000000) return false;
    frame = static_cast<int>(number);
    return true;
  }
  if (value.is_string()) return parse_frame_label(value.get<std::string>(), frame);
  return false;
}

ClipLabels parse_clip_labels(const Json& value, const std::string& location, std::vector<std::string>& warnings) {
  ClipLabels labels;
  if (!value.is_object()) {
    warnings.push_back(location + " is " + type_phrase(value) + ", expected {\"<gt index>\": label}");
    return labels;
  }
  for (const auto& [key, label] : value.items()) {
    LabelEntry entry;
    entry.key = index_key_of(Json(key));
    entry.value_text = label.is_string() ? label.get<std::string>() : label.dump();
    Visibility visibility;
    if (label.is_string() && parse_visibility(label.get<std::string>(), visibility)) entry.value = visibility;
    labels.entries.push_back(std::move(entry));
  }
  return labels;
}

ClipOverrides parse_clip_overrides(const Json& value, const std::string& location) {
  ClipOverrides overrides;
  if (!value.is_object()) {
    overrides.warnings.push_back(location + " is " + type_phrase(value) + ", expected {edits, deletions, additions}");
    return overrides;
  }
  if (auto edits = value.find("edits"); edits != value.end()) {
    if (!edits->is_object()) {
      overrides.warnings.push_back(location + ".edits is " + type_phrase(*edits) + ", expected an object");
    } else {
      for (const auto& [key, detail] : edits->items()) overrides.edits.push_back({index_key_of(Json(key)), detail_text(detail)});
    }
  }
  if (auto deletions = value.find("deletions"); deletions != value.end()) {
    if (!deletions->is_array()) {
      overrides.warnings.push_back(location + ".deletions is " + type_phrase(*deletions) + ", expected an array");
    } else {
      for (const auto& index : *deletions) overrides.deletions.push_back(index_key_of(index));
    }
  }
  if (auto additions = value.find("additions"); additions != value.end()) {
    if (!additions->is_array()) {
      overrides.warnings.push_back(location + ".additions is " + type_phrase(*additions) + ", expected an array");
    } else {
      size_t position = 0;
      for (const auto& item : *additions) {
        std::string where = location + ".additions[" + std::to_string(position++) + "]";
        AdditionEntry entry;
        Action action;
        if (!item.is_object()) {
          entry.problem = where + " is " + type_phrase(item) + ", expected {frame, type, detail}";
        } else if (!item.contains("type") || !item["type"].is_string() ||
                   !parse_action_type(item["type"].get<std::string>(), action.type) ||
                   action.type == ActionType::MouseMove) {
          entry.problem = where + ": unknown type " + (item.contains("type") ? item["type"].dump() : "(missing)") + ", ignored";
        } else if (!item.contains("frame") || !parse_frame_value(item["frame"], action.frame)) {
          entry.problem = where + ": frame " + (item.contains("frame") ? item["frame"].dump() : "(missing)") +
                          " is not a frame number or \"Fnn\", ignored";
        } else {
          if (item.contains("detail")) action.detail = detail_text(item["detail"]);
          else if (item.contains("details")) action.detail = detail_text(item["details"]);
          entry.action = action;
        }
        if (!entry.problem.empty()) overrides.warnings.push_back(entry.problem);
        overrides.additions.push_back(std::move(entry));
      }
    }
  }
  return overrides;
}

bool read_annotations(const std::filesystem::path& path, AnnotationsFile& out, std::string& error) {
  if (!read_side_document(path, out.raw, out.present, error)) return false;
  if (out.present) decode_annotations(path.filename().string(), out);
  return true;
}

bool read_overrides(const std::filesystem::path& path, OverridesFile& out, std::string& error) {
  if (!read_side_document(path, out.raw, out.present, error)) return false;
  if (out.present) decode_overrides(path.filename().string(), out);
  return true;
}

bool parse_annotations_text(std::string_view text, const std::string& name, AnnotationsFile& out, std::string& error) {
  out.present = true;
  if (!side_document_from_text(without_bom(text), out.raw, error)) return false;
  decode_annotations(name, out);
  return true;
}

bool parse_overrides_text(std::string_view text, const std::string& name, OverridesFile& out, std::string& error) {
  out.present = true;
  if (!side_document_from_text(without_bom(text), out.raw, error)) return false;
  decode_overrides(name, out);
  return true;
}

bool read_gesture_file(const std::filesystem::path& path, GestureFile& out, std::string& error) {
  Json root;
  if (!read_side_document(path, root, out.present, error)) return false;
  if (!out.present) return true;
  std::string name = path.filename().string();
  for (const auto& [clip_key, items] : root.items()) {
    std::string location = name + ": " + key_location("$", clip_key);
    if (!items.is_array()) {
      out.warnings.push_back(location + " is " + type_phrase(items) + ", expected an array");
      continue;
    }
    auto& entries = out.clips[clip_key];
    size_t position = 0;
    for (const auto& item : items) {
      std::string where = location + "[" + std::to_string(position++) + "]";
      GestureEntry entry;
      if (!item.is_object() || !item.contains("frame") || !parse_frame_value(item["frame"], entry.frame) ||
          !item.contains("type") || !item["type"].is_string()) {
        out.warnings.push_back(where + ": expected {frame, type, details}, skipped");
        continue;
      }
      entry.type = item["type"].get<std::string>();
      if (item.contains("details")) entry.details = detail_text(item["details"]);
      else if (item.contains("detail")) entry.details = detail_text(item["detail"]);
      entries.push_back(std::move(entry));
    }
  }
  return true;
}

}  // namespace idm
