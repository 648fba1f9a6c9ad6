// Saves from several editors at once (the viewer's editor and `idmscope edit` share this
// document and save code): they take turns under the folder's save lock, each re-applies its
// edits onto what the others wrote, every overwrite of another's entry is reported, and no
// journal or pending file is left behind.
#include <doctest/doctest.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "edit_fixture.hpp"
#include "io/save_lock.hpp"

using namespace idm;
using namespace idm::edit;
using namespace idm::test;

namespace {

ClipDocument open_clip(const EditTempDir& dir, const std::string& clip) {
  ClipDocument document;
  std::string error;
  REQUIRE_MESSAGE(document.open(dir.path(), clip, fixture_canonical(), error), error);
  return document;
}

// Files a save leaves only while it runs (or after it died).
std::vector<std::string> leftover_save_files(const std::filesystem::path& folder) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::string name = entry.path().filename().string();
    if (is_save_journal_name(name) || name.find(".pending") != std::string::npos || name.find(".tmp-") != std::string::npos) out.push_back(name);
  }
  return out;
}

}  // namespace

TEST_CASE("concurrent saves: two editors that read the same files both keep their edits; the later overwrite is reported") {
  EditTempDir dir;
  write_fixture(dir);
  ClipDocument first = open_clip(dir, kClip), second = open_clip(dir, kClip), other_clip = open_clip(dir, kOtherClip);
  std::string error, message;
  REQUIRE(first.set_label(4, Visibility::Visible, error));
  REQUIRE(first.set_label(6, Visibility::Visible, error));
  REQUIRE(second.set_label(6, Visibility::Inferable, error));    // the same label as first
  REQUIRE(second.set_label(7, Visibility::Ambiguous, error));
  REQUIRE(other_clip.set_label(1, Visibility::Visible, error));  // another clip, same file
  REQUIRE(first.save(message, OnConflict::Merge) == SaveOutcome::Saved);
  CHECK(!first.last_merge());  // nothing had changed under it
  REQUIRE(other_clip.save(message, OnConflict::Merge) == SaveOutcome::Saved);
  REQUIRE(other_clip.last_merge());  // first's save came in between: merged, nothing of first's replaced
  CHECK(other_clip.last_merge()->result.notes.empty());
  REQUIRE(second.save(message, OnConflict::Merge) == SaveOutcome::Saved);
  REQUIRE(second.last_merge());
  REQUIRE(second.last_merge()->result.notes.size() == 1);  // label 6: first's "visible" replaced by second's "inferable"
  CHECK(second.last_merge()->result.notes[0].find("label \"6\"") != std::string::npos);
  CHECK(second.last_merge()->result.notes[0].find("\"visible\" was replaced by yours, \"inferable\"") != std::string::npos);

  Json annotations = read_json_file(dir.path() / "annotations.json");
  CHECK(annotations.at(kClip).at("4") == "visible");     // first's
  CHECK(annotations.at(kClip).at("6") == "inferable");   // the later save wins, reported above
  CHECK(annotations.at(kClip).at("7") == "ambiguous");   // second's
  CHECK(annotations.at(kOtherClip).at("1") == "visible");
  CHECK(annotations.at("_meta") == fixture_annotations().at("_meta"));
  CHECK(leftover_save_files(dir.path()).empty());

  // Asking instead (the viewer's autosave): a conflict writes nothing until accepted.
  REQUIRE(first.set_label(7, Visibility::NotPredictable, error));
  CHECK(first.save(message) == SaveOutcome::Conflict);
  CHECK(read_json_file(dir.path() / "annotations.json").at(kClip).at("7") == "ambiguous");
  REQUIRE(first.pending_merge());
  CHECK(first.pending_merge()->result.notes.size() == 1);  // label 7 is second's
  REQUIRE(first.accept_merge(message) == SaveOutcome::Saved);
  CHECK(read_json_file(dir.path() / "annotations.json").at(kClip).at("7") == "not_predictable");
  CHECK(read_json_file(dir.path() / "annotations.json").at(kClip).at("6") == "inferable");
}

TEST_CASE("concurrent saves: threads saving at once through the editor's save path lose no edit and leave no journal") {
  // Four editors (threads), each owning some labels: two on one clip, two on another, all in
  // the same two files. Each edits labels and a detail (so both files, with a journal) and saves,
  // 50 rounds each, from a fresh document every other round.
  EditTempDir dir;
  write_fixture(dir);
  constexpr int kRounds = 50, kEditors = 4;
  struct Editor {
    std::string clip;
    std::vector<int> labels;  // the label indices this editor owns
    int detail_index;         // the canonical item whose detail it edits
  };
  const Editor editors[kEditors] = {{kClip, {0, 1}, 0}, {kClip, {2, 4}, 1}, {kOtherClip, {0, 1}, 0}, {kOtherClip, {2, 4}, 1}};
  std::atomic<int> failures{0}, merges{0}, reported_overwrites{0};
  std::vector<std::string> problems(kEditors);
  std::barrier all_have_read(kEditors);  // every round: all read and edit, then all save at once
  std::vector<std::thread> threads;
  for (int e = 0; e < kEditors; ++e) {
    threads.emplace_back([&, e] {
      const Editor& editor = editors[e];
      ClipDocument document;
      std::string error, message;
      for (int round = 0; round < kRounds; ++round) {
        if (round % 2 == 0 && !document.open(dir.path(), editor.clip, fixture_canonical(), error)) {
          problems[e] = "open: " + error;
          ++failures;
          all_have_read.arrive_and_drop();
          return;
        }
        for (int index : editor.labels) document.set_label(index, static_cast<Visibility>((round + index) % 4), error);
        document.edit_detail(editor.detail_index, "E" + std::to_string(e) + "R" + std::to_string(round), error);
        all_have_read.arrive_and_wait();
        SaveOutcome outcome = document.save(message, OnConflict::Merge);
        if (outcome != SaveOutcome::Saved) {
          problems[e] = "round " + std::to_string(round) + ": " + message;
          ++failures;
          all_have_read.arrive_and_drop();
          return;
        }
        if (document.last_merge()) {
          ++merges;
          reported_overwrites += static_cast<int>(document.last_merge()->result.notes.size());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& problem : problems) CHECK_MESSAGE(problem.empty(), problem);
  REQUIRE(failures == 0);
  Json annotations = read_json_file(dir.path() / "annotations.json");
  Json overrides = read_json_file(dir.path() / "gt_overrides.json");
  int lost = 0;
  for (int e = 0; e < kEditors; ++e) {
    const Editor& editor = editors[e];
    int last = kRounds - 1;
    for (int index : editor.labels) {
      lost += annotations.at(editor.clip).value(std::to_string(index), "") != visibility_name(static_cast<Visibility>((last + index) % 4));
    }
    lost += overrides.at(editor.clip).at("edits").value(std::to_string(editor.detail_index), "") != "E" + std::to_string(e) + "R" + std::to_string(last);
  }
  MESSAGE("editors " << kEditors << " x rounds " << kRounds << ": merges " << merges.load() << ", reported overwrites " << reported_overwrites.load()
                     << ", edits lost " << lost << ", leftover save files " << leftover_save_files(dir.path()).size());
  CHECK(lost == 0);
  CHECK(merges >= kRounds);  // the saves really overlapped (about 3 of 4 merge each round)
  CHECK(reported_overwrites == 0);  // nobody touched another's entries
  CHECK(leftover_save_files(dir.path()).empty());
  CHECK(annotations.at(kClip).at("999") == "visible");  // untouched entries survive every merge
  CHECK(overrides.at(kClip).at("note") == "checked by ana");
}

TEST_CASE("concurrent saves: an editor opening while another process saves does not touch that save's journal") {
  EditTempDir dir;
  write_fixture(dir);
  // A save that reached its commit point and is still running: its journal and one pending
  // copy are on disk and it holds the lock.
  Json next = fixture_annotations();
  next[kClip]["1"] = "visible";
  std::string content = next.dump(1) + "\n";
  std::string token = new_save_token();
  dir.write(pending_file_name("annotations.json", token), content);
  dir.write(save_journal_name(token), R"({"files": [{"target": "annotations.json", "pending": ")" + pending_file_name("annotations.json", token) +
                                          R"(", "hash": ")" + side_file_hash_text(side_file_hash(content)) + "\"}]}");
  SaveLock running;
  std::string error;
  REQUIRE(running.acquire(dir.path(), 1000, error));
  ClipDocument document = open_clip(dir, kClip);
  CHECK(std::filesystem::exists(dir.path() / save_journal_name(token)));  // left to its save
  CHECK(std::filesystem::exists(dir.path() / pending_file_name("annotations.json", token)));
  CHECK(document.label(1) == Visibility::Visible);  // read as that save decided
  // Once its holder is gone (as when a process dies), the next save finishes it first.
  running.release();
  REQUIRE(document.set_label(2, Visibility::Ambiguous, error));
  std::string message;
  REQUIRE(document.save(message) == SaveOutcome::Saved);
  CHECK(message.find("finished an interrupted save") != std::string::npos);
  Json annotations = read_json_file(dir.path() / "annotations.json");
  CHECK(annotations.at(kClip).at("1") == "visible");
  CHECK(annotations.at(kClip).at("2") == "ambiguous");
  CHECK(leftover_save_files(dir.path()).empty());
}
