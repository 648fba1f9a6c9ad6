#include "worker/messages.hpp"

#include <climits>

#include "worker/protocol.hpp"

namespace idm::worker {

namespace {

using Json = nlohmann::json;

std::string describe_value(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  return std::string(value.type_name()) + " " + excerpt(text, 40);
}

// Checks the fields of one object; the first problem wins and names "path.field".
class Fields {
 public:
  Fields(const Json& object, std::string path, std::string& error) : object_(object), path_(std::move(path)), error_(error) {}

  bool ok() const { return ok_; }

  Fields& integer(const char* name, bool required, int64_t min, int64_t max, bool null_allowed = false) {
    const Json* value = find(name, required, null_allowed);
    if (!value) return *this;
    if (!value->is_number_integer()) return fail(name, "an integer", *value);
    // Unsigned values above INT64_MAX read back negative: compare as unsigned first.
    if (value->is_number_unsigned() && value->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return range(name, min, max, *value);
    int64_t number = value->get<int64_t>();
    if (number < min || number > max) return range(name, min, max, *value);
    return *this;
  }
  Fields& count(const char* name, bool required, int64_t max = INT_MAX) { return integer(name, required, 0, max); }
  Fields& string(const char* name, bool required) { return kind(name, required, "a string", &Json::is_string); }
  Fields& number(const char* name, bool required) { return kind(name, required, "a number", &Json::is_number); }
  Fields& boolean(const char* name, bool required) { return kind(name, required, "true or false", &Json::is_boolean); }
  Fields& array(const char* name, bool required) { return kind(name, required, "an array", &Json::is_array); }
  Fields& object(const char* name, bool required) { return kind(name, required, "an object", &Json::is_object); }
  Fields& string_array(const char* name, bool required) {
    const Json* value = find(name, required);
    if (!value) return *this;
    if (!value->is_array()) return fail(name, "an array of strings", *value);
    for (size_t i = 0; i < value->size(); ++i) {
      if (!(*value)[i].is_string()) return fail((std::string(name) + "[" + std::to_string(i) + "]").c_str(), "a string", (*value)[i]);
    }
    return *this;
  }
  // An object field checked by `check` (when present).
  template <typename Check>
  Fields& nested(const char* name, bool required, Check check) {
    object(name, required);
    if (!ok_ || !object_.contains(name)) return *this;
    Fields inner(object_[name], path_ + "." + name, error_);
    check(inner);
    ok_ = inner.ok();
    return *this;
  }
  // An array of objects, each checked by `check`.
  template <typename Check>
  Fields& objects(const char* name, bool required, Check check) {
    array(name, required);
    if (!ok_ || !object_.contains(name)) return *this;
    const Json& items = object_[name];
    for (size_t i = 0; i < items.size() && ok_; ++i) {
      std::string where = path_ + "." + name + "[" + std::to_string(i) + "]";
      if (!items[i].is_object()) {
        error_ = where + ": expected an object, got " + describe_value(items[i]);
        ok_ = false;
        break;
      }
      Fields inner(items[i], where, error_);
      check(inner);
      ok_ = inner.ok();
    }
    return *this;
  }

 private:
  // A present field must have its type: null is no way to leave one out (readers would throw).
  const Json* find(const char* name, bool required, bool null_allowed = false) {
    if (!ok_) return nullptr;
    auto it = object_.find(name);
    if (it == object_.end() || (null_allowed && it->is_null())) {
      if (required) {
        error_ = path_ + "." + name + ": missing";
        ok_ = false;
      }
      return nullptr;
    }
    return &*it;
  }
  Fields& kind(const char* name, bool required, const char* expected, bool (Json::*test)() const noexcept) {
    const Json* value = find(name, required);
    if (value && !(value->*test)()) fail(name, expected, *value);
    return *this;
  }
  Fields& fail(const char* name, const char* expected, const Json& value) {
    error_ = path_ + "." + name + ": expected " + expected + ", got " + describe_value(value);
    ok_ = false;
    return *this;
  }
  Fields& range(const char* name, int64_t min, int64_t max, const Json& value) {
    error_ = path_ + "." + name + ": " + excerpt(value.dump(), 40) + " is outside " + std::to_string(min) + ".." + std::to_string(max);
    ok_ = false;
    return *this;
  }

  const Json& object_;
  std::string path_;
  std::string& error_;
  bool ok_ = true;
};

void window_record_fields(Fields& fields) {
  fields.count("window", true, kMaxGridFrames)
      .count("start_frame", false, kMaxGridFrames)
      .boolean("ok", true)
      .count("attempts", false)
      .string("raw", false)
      .string("error", false)
      .string("bad_answer", false);
}

constexpr int64_t kMaxId = INT64_MAX;

}  // namespace

std::optional<int64_t> message_id(const nlohmann::json& message) {
  auto id = message.find("id");
  if (id == message.end() || !id->is_number_integer()) return std::nullopt;
  if (id->is_number_unsigned() && id->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return id->get<int64_t>();
}

bool validate_event(const nlohmann::json& event, std::string& error) {
  if (!event.is_object() || !event.contains("type") || !event["type"].is_string()) {
    error = "expected an object with a string \"type\"";
    return false;
  }
  const std::string type = event["type"].get<std::string>();
  Fields fields(event, type, error);
  if (type == "hello") {
    fields.integer("protocol", true, INT_MIN, INT_MAX).string("worker", false).string("version", false).string_array("backends", false);
  } else if (type == "pong") {
    // id: whatever the ping carried
  } else if (type == "progress") {
    fields.integer("id", true, 0, kMaxId)
        .string("clip", false)
        .string("stage", true)
        .count("done", true)
        .count("total", true)
        .count("grid_frames", false, kMaxGridFrames);
  } else if (type == "window_result") {
    fields.integer("id", true, 0, kMaxId).string("clip", false).array("answer", false);
    window_record_fields(fields);
  } else if (type == "clip_result") {
    fields.integer("id", true, 0, kMaxId)
        .string("clip", false)
        .count("grid_frames", false, kMaxGridFrames)
        .array("predictions", false)
        .objects("windows", false, window_record_fields)
        .count("failed_windows", false)
        .count("bad_answers", false)
        .count("dropped_unreadable", false)
        .count("dropped_outside", false)
        .object("backend", false);
  } else if (type == "rollout_result") {
    fields.integer("id", true, 0, kMaxId)
        .string("trajectory", true)
        .integer("frames", true, 1, kMaxGridFrames)
        .boolean("includes_context", true)
        .number("fps", true)
        .string("files", true);
  } else if (type == "cancelled") {
    fields.integer("id", true, 0, kMaxId).string("clip", false);
  } else if (type == "error") {
    fields.integer("id", false, 0, kMaxId, true).string("clip", false).string("message", true);
  } else if (type == "log") {
    fields.string("message", false);
  }
  return fields.ok();
}

bool validate_request(const nlohmann::json& request, std::string& error) {
  if (!request.is_object() || !request.contains("type") || !request["type"].is_string()) {
    error = "expected an object with a string \"type\"";
    return false;
  }
  const std::string type = request["type"].get<std::string>();
  Fields fields(request, type, error);
  if (type == "cancel") {
    fields.integer("id", false, 0, kMaxId);
  } else if (type == "rollout") {
    fields.integer("id", true, 0, kMaxId)
        .string("trajectory", true)
        .string_array("command", true)
        .number("timeout_s", false)
        .integer("expected_frames", true, 1, kMaxGridFrames)
        .nested("input", true, [](Fields& input) { input.string("out_dir", true); });
    if (fields.ok() && request["command"].empty()) {
      error = "rollout.command: expected the program and its arguments, got []";
      return false;
    }
  } else if (type == "run") {
    fields.integer("id", true, 0, kMaxId)
        .nested("clip", true, [](Fields& clip) { clip.string("key", true).string("video", true); })
        .nested("backend", true, [](Fields& backend) { backend.string("name", true); })
        .nested("frames", false, [](Fields& frames) { frames.count("max_edge_px", false, 16384).boolean("burn_labels", false); })
        .nested("windows", false, [](Fields& windows) {
          windows.integer("size", false, 1, kMaxWindowFrames)
              .integer("stride", false, 1, kMaxWindowFrames)
              .count("keep_first", false, kMaxWindowFrames)
              .count("keep_last", false, kMaxWindowFrames);
        });
  }
  return fields.ok();
}

}  // namespace idm::worker
