// Side files that are not plain files: symlinks are written through (the link stays a link),
// FIFOs and folders are refused by name without blocking, and a clip with 100,000 labels reads
// in well under a second (the ordered document is built without a quadratic key search).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <random>

#include "edit_fixture.hpp"
#include "dataset/dataset.hpp"
#include "dataset/side_files.hpp"

using namespace idm;
using namespace idm::edit;
using namespace idm::test;

namespace {

namespace fs = std::filesystem;

// The timed checks are generous (the quadratic code took 11 s to minutes); sanitizers slow
// everything several times, so their builds get more room.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr double kFastEnough_s = 10.0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr double kFastEnough_s = 10.0;
#else
constexpr double kFastEnough_s = 2.0;
#endif
#else
constexpr double kFastEnough_s = 2.0;
#endif

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const std::string& line : lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

// Runs `body` in a child process that must finish within `seconds` (a FIFO would block it
// forever): returns its exit status, or -1 when it had to be killed.
template <typename Body>
int run_with_deadline(double seconds, Body body) {
  pid_t child = ::fork();
  if (child == 0) _exit(body() ? 0 : 1);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  int status = 0;
  while (::waitpid(child, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      return -1;
    }
    ::usleep(10000);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("side files: symlinked annotations.json and gt_overrides.json are written through to their targets") {
  EditTempDir dir;
  fs::create_directories(dir.path() / "shared");
  dir.write("shared/labels_v3.json", fixture_annotations().dump(2));
  dir.write("shared/overrides_v3.json", fixture_overrides().dump(2));
  fs::create_symlink("shared/labels_v3.json", dir.path() / "annotations.json");                 // relative link
  fs::create_symlink(dir.path() / "shared" / "overrides_v3.json", dir.path() / "gt_overrides.json");  // absolute link
  ClipDocument document;
  std::string error, message;
  REQUIRE_MESSAGE(document.open(dir.path(), kClip, fixture_canonical(), error), error);
  REQUIRE(document.set_label(4, Visibility::Visible, error));
  REQUIRE(document.edit_detail(0, "Cmd+A", error));
  REQUIRE_MESSAGE(document.save(message) == SaveOutcome::Saved, message);  // both files: pending copies and a journal
  CHECK(fs::is_symlink(dir.path() / "annotations.json"));
  CHECK(fs::is_symlink(dir.path() / "gt_overrides.json"));
  CHECK(fs::read_symlink(dir.path() / "annotations.json") == "shared/labels_v3.json");
  Json annotations = read_json_file(dir.path() / "shared" / "labels_v3.json");
  Json overrides = read_json_file(dir.path() / "shared" / "overrides_v3.json");
  CHECK(annotations.at(kClip).at("4") == "visible");
  CHECK(overrides.at(kClip).at("edits").at("0") == "Cmd+A");
  // One file alone (a single atomic write), then a second editor through the same links.
  REQUIRE(document.set_label(6, Visibility::Inferable, error));
  REQUIRE(document.save(message) == SaveOutcome::Saved);
  CHECK(fs::is_symlink(dir.path() / "annotations.json"));
  CHECK(read_json_file(dir.path() / "shared" / "labels_v3.json").at(kClip).at("6") == "inferable");
  ClipDocument reopened;
  REQUIRE(reopened.open(dir.path(), kClip, fixture_canonical(), error));
  CHECK(reopened.state() == document.state());
  for (const fs::path& folder : {dir.path(), dir.path() / "shared"}) {
    for (const auto& entry : fs::directory_iterator(folder)) {
      std::string name = entry.path().filename().string();
      CHECK_MESSAGE((name.find(".pending") == std::string::npos && name.find(".tmp-") == std::string::npos && !is_save_journal_name(name)),
                    "left behind: " << entry.path());
    }
  }
  // A link to a file that does not exist yet: the save creates the target.
  EditTempDir fresh;
  fs::create_directories(fresh.path() / "store");
  fs::create_symlink("store/annotations_new.json", fresh.path() / "annotations.json");
  ClipDocument empty;
  REQUIRE(empty.open(fresh.path(), kClip, fixture_canonical(), error));
  REQUIRE(empty.set_label(1, Visibility::Ambiguous, error));
  REQUIRE(empty.save(message) == SaveOutcome::Saved);
  CHECK(fs::is_symlink(fresh.path() / "annotations.json"));
  CHECK(read_json_file(fresh.path() / "store" / "annotations_new.json").at(kClip).at("1") == "ambiguous");
}

TEST_CASE("side files: an interrupted save through a symlink is finished in the target's folder and read so until then") {
  EditTempDir dir;
  fs::create_directories(dir.path() / "shared");
  dir.write("shared/labels.json", fixture_annotations().dump(2));
  dir.write("gt_overrides.json", fixture_overrides().dump(2));
  fs::create_symlink("shared/labels.json", dir.path() / "annotations.json");
  Json next = fixture_annotations();
  next[kClip]["1"] = "visible";
  std::string content = next.dump(1) + "\n", token = new_save_token();
  fs::path pending = dir.path() / "shared" / pending_file_name("labels.json", token);
  dir.write("shared/" + pending_file_name("labels.json", token), content);
  dir.write(save_journal_name(token), R"({"files": [{"target": "annotations.json", "pending": ")" + fs::absolute(pending).string() +
                                          R"(", "hash": ")" + side_file_hash_text(side_file_hash(content)) + "\"}]}");
  Dataset dataset;
  std::string error;
  REQUIRE(load_dataset(dir.path(), DatasetLoadOptions{false}, dataset, error));
  CHECK(dataset.side_file_errors.empty());
  CHECK(dataset.annotations.raw.at(kClip).at("1") == "visible");
  ClipDocument document;  // opened by a relative path: the journal's absolute pending path still matches
  REQUIRE_MESSAGE(document.open(fs::relative(dir.path()), kClip, fixture_canonical(), error), error);
  CHECK(document.label(1) == Visibility::Visible);
  CHECK(fs::is_symlink(dir.path() / "annotations.json"));
  CHECK(!fs::exists(pending));
  CHECK(!fs::exists(dir.path() / save_journal_name(token)));
  CHECK(read_json_file(dir.path() / "shared" / "labels.json").at(kClip).at("1") == "visible");
}

TEST_CASE("side files: a FIFO or a folder named annotations.json is refused by name, without blocking") {
  for (const char* kind : {"FIFO", "directory"}) {
    CAPTURE(kind);
    EditTempDir dir;
    write_fixture(dir);
    fs::remove(dir.path() / "annotations.json");
    if (std::string(kind) == "FIFO") REQUIRE(::mkfifo((dir.path() / "annotations.json").c_str(), 0644) == 0);
    else fs::create_directory(dir.path() / "annotations.json");
    const char* expected = std::string(kind) == "FIFO" ? "is a FIFO" : "is a directory";
    // The editor: refused at open, naming the file.
    int status = run_with_deadline(10, [&] {
      ClipDocument document;
      std::string error;
      bool refused = !document.open(dir.path(), kClip, fixture_canonical(), error);
      return refused && error.find("annotations.json") != std::string::npos && error.find(expected) != std::string::npos;
    });
    CHECK_MESSAGE(status == 0, (status < 0 ? "the editor blocked on it" : "not refused with the file named"));
    // The dataset loader (score, check, summary, the viewer).
    status = run_with_deadline(10, [&] {
      Dataset dataset;
      std::string error;
      return load_dataset(dir.path(), DatasetLoadOptions{false}, dataset, error) && mentions(dataset.side_file_errors, "annotations.json") &&
             mentions(dataset.side_file_errors, expected) && !mentions(dataset.side_file_errors, "end of input");
    });
    CHECK_MESSAGE(status == 0, (status < 0 ? "the loader blocked on it" : "not reported with the file named"));
  }
}

namespace {

std::string many_labels_document(int count) {
  std::string text = "{\n \"_meta\": {\"v\": 1},\n \"big/clip\": {";
  for (int i = 0; i < count; ++i) text += (i ? ", " : "") + std::string("\"") + std::to_string((i * 7919) % 100003) + "\": \"visible\"";
  text += "},\n \"other\": {\"3\": \"ambiguous\", \"3\": \"visible\", \"1\": 2.5e-3, \"n\": [1, {\"a\": null, \"a\": true}]}\n}\n";
  return text;  // "3" and "a" repeat: first place, last value
}

}  // namespace

TEST_CASE("side files: 100,000 labels in one clip read fast, in file order, byte for byte") {
  std::string text = many_labels_document(100000);
  auto started = std::chrono::steady_clock::now();
  AnnotationsFile file;
  std::string error;
  REQUIRE(parse_annotations_text(text, "annotations.json", file, error));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  MESSAGE("100,000 label keys parsed and decoded in " << seconds << " s");
  CHECK(seconds < kFastEnough_s);  // a quadratic key insert took 11-19 s
  CHECK(file.clips.at("big/clip").entries.size() == 100000);
  CHECK(file.clips.at("big/clip").entries[1].key.text == std::to_string(7919));
  CHECK(file.raw.at("other").dump() == R"({"3":"visible","1":0.0025,"n":[1,{"a":true}]})");
  // The same document as nlohmann's own parser builds (order, repeated keys, numbers), so
  // saves write the same bytes as before (compared on a size that parser handles quickly).
  std::string smaller = many_labels_document(3000);
  Json ours;
  REQUIRE(parse_side_json(smaller, ours, error));
  Json reference = Json::parse(smaller);
  CHECK(ours == reference);
  CHECK(ours.dump(1) == reference.dump(1));
}

TEST_CASE("side files: a save that merges on a clip with 100,000 labels stays fast (the save lock is held meanwhile)") {
  EditTempDir dir;
  nlohmann::json annotations = nlohmann::json::parse(fixture_annotations().dump());  // a sorted map: quick to fill
  nlohmann::json& labels = annotations[kClip];
  for (int i = 0; i < 100000; ++i) labels[std::to_string(1000 + i)] = "visible";
  dir.write("annotations.json", annotations.dump(1));
  dir.write("gt_overrides.json", fixture_overrides().dump(1));
  ClipDocument first, second;
  std::string error, message;
  REQUIRE(first.open(dir.path(), kClip, fixture_canonical(), error));
  REQUIRE(second.open(dir.path(), kClip, fixture_canonical(), error));
  REQUIRE(first.set_label(4, Visibility::Visible, error));
  REQUIRE(first.save(message) == SaveOutcome::Saved);
  REQUIRE(second.set_label(6, Visibility::Ambiguous, error));
  auto started = std::chrono::steady_clock::now();
  REQUIRE(second.save(message, OnConflict::Merge) == SaveOutcome::Saved);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  MESSAGE("a merging save of a clip with 100,000 labels took " << seconds << " s");
  CHECK(second.last_merge());
  CHECK(seconds < 10.0);  // about 1 s (it also reads, parses and writes 2.5 MB); ordered_json's linear key search took minutes
  Json saved;
  REQUIRE(parse_side_json(read_text((dir.path() / "annotations.json").string()), saved, error));
  CHECK(saved.at(kClip).size() == labels.size() + 2);
  CHECK(saved.at(kClip).at("4") == "visible");
  CHECK(saved.at(kClip).at("6") == "ambiguous");
  CHECK(saved.at(kClip).begin().key() == "0");  // the file's order is kept
}

namespace {

// Random JSON text with repeated keys, objects on both sides of the hash-index threshold and
// every value type.
std::string random_json(std::mt19937& random, int depth) {
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  int kind = depth >= 4 ? 2 + pick(4) : pick(6);
  if (kind == 0) {
    int members = pick(3) == 0 ? 16 + pick(40) : pick(18);
    std::string text = "{";
    for (int i = 0; i < members; ++i) text += (i ? "," : "") + std::string("\"k") + std::to_string(pick(members + 3)) + "\": " + random_json(random, depth + 1);
    return text + "}";
  }
  if (kind == 1) {
    int items = pick(6);
    std::string text = "[";
    for (int i = 0; i < items; ++i) text += (i ? ", " : "") + random_json(random, depth + 1);
    return text + "]";
  }
  if (kind == 2) return "\"s" + std::to_string(pick(1000)) + "\\u00e9\"";
  if (kind == 3) return std::to_string(static_cast<int64_t>(random()) - (1ll << 31));
  if (kind == 4) return std::to_string(pick(100000)) + "." + std::to_string(pick(1000)) + "e-" + std::to_string(pick(20));
  const char* literals[] = {"true", "false", "null", "18446744073709551615"};
  return literals[pick(4)];
}

}  // namespace

TEST_CASE("side files: the fast ordered reader builds exactly nlohmann's document for 2,000 random texts") {
  std::mt19937 random(20261202);
  int with_repeats = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string text = random_json(random, 0);
    Json ours, reference = Json::parse(text);
    std::string error;
    REQUIRE_MESSAGE(parse_side_json(text, ours, error), error);
    REQUIRE_MESSAGE(ours == reference, text);
    REQUIRE(ours.dump() == reference.dump());
    auto keys_in = [](const std::string& json) {
      size_t count = 0;
      for (size_t at = json.find("\"k"); at != std::string::npos; at = json.find("\"k", at + 1)) ++count;
      return count;
    };
    with_repeats += keys_in(text) > keys_in(reference.dump());  // repeated keys were collapsed
  }
  CHECK(with_repeats > 100);  // the texts really had repeated keys
}
