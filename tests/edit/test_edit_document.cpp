// The clip editing document: every operation, undo/redo exactness, saving that preserves
// everything else, backups, interrupted-save recovery, and external modification + merge.
#include <doctest/doctest.h>

#include <algorithm>

#include "edit/key_completion.hpp"
#include "edit_fixture.hpp"

using namespace idm;
using namespace idm::edit;
using namespace idm::test;

namespace {

ClipDocument open_document(const EditTempDir& dir) {
  ClipDocument document;
  std::string error;
  REQUIRE_MESSAGE(document.open(dir.path(), kClip, fixture_canonical(), error), error);
  return document;
}

const ScoredGtItem* item_with_index(const OverriddenGt& gt, int label_index) {
  for (const ScoredGtItem& item : gt.items) {
    if (item.label_index == label_index) return &item;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("edit: opening reads the clip's entries as they are in the files") {
  EditTempDir dir;
  write_fixture(dir);
  ClipDocument document = open_document(dir);
  CHECK(document.canonical_count() == 8);
  CHECK(document.item_count() == 10);  // N=8 plus two additions (one unusable, still counted)
  CHECK(document.label(0) == Visibility::Visible);
  CHECK(document.label(5) == Visibility::Ambiguous);  // written "05"
  CHECK(!document.label(3));                          // "bogus" counts as unlabelled
  OverriddenGt gt = document.overridden_gt();
  CHECK(item_with_index(gt, 1)->action.detail == "B2");
  CHECK(item_with_index(gt, 1)->provenance == Provenance::Edited);
  CHECK(item_with_index(gt, 2) == nullptr);  // deleted
  CHECK(item_with_index(gt, 8)->provenance == Provenance::Added);
  CHECK(!document.dirty());
}

TEST_CASE("edit: labels set, change in place, clear, and undo/redo restore the exact JSON") {
  EditTempDir dir;
  write_fixture(dir);
  ClipDocument document = open_document(dir);
  std::string error;
  ClipSideState original = document.state();
  REQUIRE(document.set_label(5, Visibility::Inferable, error));
  CHECK(document.state().labels->at("05") == "inferable");  // the existing spelling is kept
  CHECK(!document.state().labels->contains("5"));
  REQUIRE(document.set_label(4, Visibility::NotPredictable, error));
  CHECK(document.state().labels->at("4") == "not_predictable");
  CHECK_FALSE(document.set_label(4, Visibility::NotPredictable, error));
  CHECK(error.find("already") != std::string::npos);
  CHECK_FALSE(document.set_label(10, Visibility::Visible, error));
  CHECK(error.find("out of range 0..9") != std::string::npos);
  REQUIRE(document.set_label(0, std::nullopt, error));
  CHECK(!document.state().labels->contains("0"));
  CHECK(document.dirty());
  REQUIRE(document.undo());
  REQUIRE(document.undo());
  REQUIRE(document.undo());
  CHECK(document.state() == original);
  CHECK(document.state().labels->dump() == original.labels->dump());  // key order too
  CHECK(!document.dirty());
  REQUIRE(document.redo());
  CHECK(document.label(5) == Visibility::Inferable);
  REQUIRE(document.set_labels({0, 1, 2, 6}, Visibility::Ambiguous, error));
  CHECK(document.label(6) == Visibility::Ambiguous);
  CHECK(!document.can_redo());  // a new edit clears the redo stack
  REQUIRE(document.undo());
  CHECK(document.label(0) == Visibility::Visible);
  CHECK(!document.label(6));
}

TEST_CASE("edit: detail edits, deletes, restores and additions keep provenance through undo") {
  EditTempDir dir;
  write_fixture(dir);
  ClipDocument document = open_document(dir);
  std::string error;
  REQUIRE(document.edit_detail(0, "Cmd+A", error));
  CHECK(item_with_index(document.overridden_gt(), 0)->provenance == Provenance::Edited);
  REQUIRE(document.edit_detail(1, "B", error));  // back to the canonical detail: the edit goes
  CHECK(!document.state().overrides->at("edits").contains("1"));
  CHECK(document.state().overrides->at("edits").contains("42"));  // out of range: kept
  CHECK(item_with_index(document.overridden_gt(), 1)->provenance == Provenance::Original);
  REQUIRE(document.undo());
  CHECK(item_with_index(document.overridden_gt(), 1)->action.detail == "B2");
  CHECK(item_with_index(document.overridden_gt(), 1)->provenance == Provenance::Edited);

  REQUIRE(document.delete_action(3, error));
  CHECK(item_with_index(document.overridden_gt(), 3) == nullptr);
  CHECK(item_with_index(document.overridden_gt(), 4) != nullptr);  // scoped to that action
  CHECK_FALSE(document.delete_action(3, error));
  REQUIRE(document.restore_action(2, error));
  CHECK(item_with_index(document.overridden_gt(), 2) != nullptr);
  CHECK(document.state().overrides->at("deletions") == Json::parse(R"(["77", 3])"));

  // Additions: add one, label it, delete an earlier addition: the label moves with it.
  REQUIRE(document.add_action({12, ActionType::MouseScroll, "down"}, error));
  CHECK(document.item_count() == 11);
  REQUIRE(document.set_label(10, Visibility::Inferable, error));
  REQUIRE(document.set_label(8, Visibility::Visible, error));
  ClipSideState before_delete = document.state();
  REQUIRE(document.delete_action(8, error));  // the first addition
  CHECK(document.item_count() == 10);
  CHECK(document.label(9) == Visibility::Inferable);  // was 10
  CHECK(!document.label(8));                          // the unusable addition had no label
  CHECK(document.state().labels->contains("999"));    // out of range: untouched
  REQUIRE(document.undo());
  CHECK(document.state() == before_delete);
  CHECK(item_with_index(document.overridden_gt(), 8)->action.detail == "Q");

  REQUIRE(document.edit_detail(10, "up", error));  // an addition is edited in the list itself
  CHECK(document.state().overrides->at("additions")[2].at("detail") == "up");
  CHECK_FALSE(document.add_action({3, ActionType::MouseMove, "1,2"}, error));
  CHECK_FALSE(document.add_action({-1, ActionType::KeyPress, "A"}, error));
  CHECK_FALSE(document.edit_detail(0, "  ", error));
}

TEST_CASE("edit: save writes both files atomically, keeps everything else, and backs up once") {
  EditTempDir dir;
  write_fixture(dir);
  std::string original_annotations = read_text((dir.path() / "annotations.json").string());
  ClipDocument document = open_document(dir);
  std::string error, message;
  CHECK(document.save(message) == SaveOutcome::NothingToSave);
  REQUIRE(document.set_label(7, Visibility::Visible, error));
  REQUIRE(document.add_action({20, ActionType::KeyPress, "Tab"}, error));
  REQUIRE(document.save(message) == SaveOutcome::Saved);
  CHECK(!document.dirty());
  Json annotations = read_json_file(dir.path() / "annotations.json");
  Json overrides = read_json_file(dir.path() / "gt_overrides.json");
  CHECK(annotations == document.annotations_root());
  CHECK(overrides == document.overrides_root());
  CHECK(annotations.at("_meta") == fixture_annotations().at("_meta"));
  CHECK(annotations.at(kOtherClip) == fixture_annotations().at(kOtherClip));
  CHECK(annotations.at(kClip).at("999") == "visible");
  CHECK(annotations.at(kClip).at("x") == "inferable");
  CHECK(annotations.at(kClip).at("3") == "bogus");
  CHECK(overrides.at("_schema") == 2);
  CHECK(overrides.at(kClip).at("note") == "checked by ana");
  CHECK(overrides.at(kClip).at("additions")[0].at("why") == "missed");
  CHECK(overrides.at(kClip).at("additions")[1].at("type") == "Bogus");
  CHECK(read_text((dir.path() / "annotations.json.bak").string()) == original_annotations);
  CHECK(!std::filesystem::exists(dir.path() / kJournalName));
  // A second save does not replace the backup with our own first save.
  REQUIRE(document.set_label(6, Visibility::Visible, error));
  REQUIRE(document.save(message) == SaveOutcome::Saved);
  CHECK(read_text((dir.path() / "annotations.json.bak").string()) == original_annotations);
  // A reopened document sees exactly what was saved.
  ClipDocument reopened = open_document(dir);
  CHECK(reopened.state() == document.state());
}

TEST_CASE("edit: a bad side file or a malformed clip entry is refused by name, never overwritten") {
  EditTempDir dir;
  dir.write("annotations.json", "{\"a\": ");
  ClipDocument document;
  std::string error;
  CHECK_FALSE(document.open(dir.path(), kClip, fixture_canonical(), error));
  CHECK(error.find("annotations.json") != std::string::npos);
  dir.write("annotations.json", "{}");
  dir.write("gt_overrides.json", "{\"" + kClip + "\": {\"deletions\": {}}}");
  CHECK_FALSE(document.open(dir.path(), kClip, fixture_canonical(), error));
  CHECK(error.find("\"deletions\" is not an array") != std::string::npos);
  // Missing files are fine: the first save creates them.
  EditTempDir empty;
  REQUIRE(document.open(empty.path(), kClip, fixture_canonical(), error));
  REQUIRE(document.set_label(1, Visibility::Visible, error));
  std::string message;
  REQUIRE(document.save(message) == SaveOutcome::Saved);
  CHECK(read_json_file(empty.path() / "annotations.json") == Json::parse(R"({")" + kClip + R"(": {"1": "visible"}})"));
  CHECK(!std::filesystem::exists(empty.path() / "gt_overrides.json"));  // unchanged: not written
  CHECK(!std::filesystem::exists(empty.path() / "annotations.json.bak"));
}

TEST_CASE("edit: an interrupted save is rolled forward after its commit point and rolled back before it") {
  EditTempDir dir;
  write_fixture(dir);
  Json new_annotations = fixture_annotations(), new_overrides = fixture_overrides();
  new_annotations[kClip]["1"] = "visible";
  new_overrides[kClip]["deletions"].push_back(4);
  // After the commit point: the journal names both pendings; one was already installed.
  dir.write(".annotations.json.pending", new_annotations.dump(1));
  dir.write("gt_overrides.json", new_overrides.dump(1));
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(content_hash(new_annotations.dump(1))));
  dir.write(kJournalName, std::string(R"({"files": [{"target": "annotations.json", "pending": ".annotations.json.pending", "hash": ")") + hash +
                              R"("}, {"target": "gt_overrides.json", "pending": ".gt_overrides.json.pending", "hash": "0"}]})");
  ClipDocument document = open_document(dir);
  CHECK(document.label(1) == Visibility::Visible);
  CHECK(edit::is_deleted(document.state(), 4));
  CHECK(!std::filesystem::exists(dir.path() / kJournalName));
  CHECK(!std::filesystem::exists(dir.path() / ".annotations.json.pending"));
  // Before the commit point: a pending file alone is discarded, the targets stay.
  dir.write(".gt_overrides.json.pending", "{\"half\": ");
  dir.write(".annotations.json.tmp-999999999-1", "{");
  document = open_document(dir);
  CHECK(!std::filesystem::exists(dir.path() / ".gt_overrides.json.pending"));
  CHECK(!std::filesystem::exists(dir.path() / ".annotations.json.tmp-999999999-1"));
  CHECK(edit::is_deleted(document.state(), 4));
}

TEST_CASE("edit: external modification is detected, never overwritten, and merged with the user's edits") {
  EditTempDir dir;
  write_fixture(dir);
  ClipDocument document = open_document(dir);
  std::string error, message;
  REQUIRE(document.set_label(4, Visibility::Visible, error));         // only the user
  REQUIRE(document.set_label(6, Visibility::Ambiguous, error));       // both: the user's value wins
  REQUIRE(document.edit_detail(0, "Cmd+A", error));
  REQUIRE(document.add_action({22, ActionType::KeyPress, "Tab"}, error));
  REQUIRE(document.set_label(10, Visibility::Inferable, error));      // label of the user's addition
  REQUIRE(document.delete_action(8, error));                          // the Q addition; 10 becomes 9

  // Another program (say a training script) changes both files meanwhile.
  Json annotations = fixture_annotations(), overrides = fixture_overrides();
  annotations[kClip]["7"] = "not_predictable";
  annotations[kClip]["6"] = "visible";
  annotations["clips_recording_b/clip_009"] = {{"0", "visible"}};
  overrides[kClip]["additions"].push_back({{"frame", 1}, {"type", "MouseClick"}, {"detail", "Right"}});
  overrides[kClip]["edits"]["3"] = "Enter";
  std::string theirs_annotations = annotations.dump(2);
  dir.write("annotations.json", theirs_annotations);
  dir.write("gt_overrides.json", overrides.dump(2));

  REQUIRE(document.save(message) == SaveOutcome::Conflict);
  CHECK(message.find("changed by another program") != std::string::npos);
  CHECK(read_text((dir.path() / "annotations.json").string()) == theirs_annotations);  // nothing written
  const PendingMerge* merge = document.pending_merge();
  REQUIRE(merge);
  CHECK(merge->result.notes.size() == 1);  // label 6
  REQUIRE(document.accept_merge(message) == SaveOutcome::Saved);
  Json saved_annotations = read_json_file(dir.path() / "annotations.json");
  Json saved_overrides = read_json_file(dir.path() / "gt_overrides.json");
  const Json& labels = saved_annotations.at(kClip);
  CHECK(labels.at("4") == "visible");
  CHECK(labels.at("6") == "ambiguous");
  CHECK(labels.at("7") == "not_predictable");
  CHECK(saved_annotations.contains("clips_recording_b/clip_009"));
  const Json& clip_overrides = saved_overrides.at(kClip);
  CHECK(clip_overrides.at("edits").at("0") == "Cmd+A");
  CHECK(clip_overrides.at("edits").at("3") == "Enter");
  // Additions: Q removed by the user, Bogus kept, theirs appended, the user's new one last.
  REQUIRE(clip_overrides.at("additions").size() == 3);
  CHECK(clip_overrides.at("additions")[0].at("type") == "Bogus");
  CHECK(clip_overrides.at("additions")[1].at("detail") == "Right");
  CHECK(clip_overrides.at("additions")[2].at("detail") == "Tab");
  CHECK(labels.at("10") == "inferable");  // followed the Tab addition to position 2 (8+2)
  CHECK(!labels.contains("9"));
  CHECK(saved_annotations == document.annotations_root());
  // The version the other program wrote is the backup.
  CHECK(read_text((dir.path() / "annotations.json.bak").string()) == theirs_annotations);
  CHECK(!document.can_undo());  // history restarts after a merge
  CHECK(!document.dirty());
}

TEST_CASE("edit: a side file replaced by garbage while editing stops the save with the file's name") {
  EditTempDir dir;
  write_fixture(dir);
  ClipDocument document = open_document(dir);
  std::string error, message;
  REQUIRE(document.set_label(4, Visibility::Visible, error));
  dir.write("gt_overrides.json", "[1, 2");
  CHECK(document.save(message) == SaveOutcome::Failed);
  CHECK(message.find("gt_overrides.json") != std::string::npos);
  CHECK(read_text((dir.path() / "gt_overrides.json").string()) == "[1, 2");
  CHECK(document.dirty());  // the edit is still there
}

TEST_CASE("edit: detail completion offers GT key spellings after the last '+'") {
  auto candidates = complete_detail(ActionType::KeyPress, "Cmd+Sh");
  REQUIRE(!candidates.empty());
  CHECK(candidates[0] == "Cmd+Shift");
  candidates = complete_detail(ActionType::KeyPress, "ret");
  CHECK(std::find(candidates.begin(), candidates.end(), "Return") != candidates.end());
  candidates = complete_detail(ActionType::KeyPress, "Ctrl+k");
  CHECK(std::find(candidates.begin(), candidates.end(), "Ctrl+K") != candidates.end());  // KeyK -> K
  CHECK(complete_detail(ActionType::MouseScroll, "d") == std::vector<std::string>{"down"});
  CHECK(complete_detail(ActionType::MouseClick, "").size() == 3);
}

TEST_CASE("edit: without unsaved edits, files changed on disk are reloaded, not merged") {
  EditTempDir dir;
  write_fixture(dir);
  ClipDocument document = open_document(dir);
  std::string error, message;
  REQUIRE(document.set_label(4, Visibility::Visible, error));
  REQUIRE(document.save(message) == SaveOutcome::Saved);
  Json annotations = read_json_file(dir.path() / "annotations.json");
  annotations[kClip]["6"] = "ambiguous";
  dir.write("annotations.json", annotations.dump(2));
  CHECK(document.save(message) == SaveOutcome::NothingToSave);
  CHECK(message.find("reloaded") != std::string::npos);
  CHECK(document.label(6) == Visibility::Ambiguous);
  CHECK(document.label(4) == Visibility::Visible);
  CHECK(!document.can_undo());
  CHECK(!document.pending_merge());
}

TEST_CASE("edit: recovery leaves a pending file that does not match its journal, and says which") {
  EditTempDir dir;
  write_fixture(dir);
  std::string before = read_text((dir.path() / "annotations.json").string());
  dir.write(".annotations.json.pending", "{\"tampered\": true}");
  dir.write(kJournalName, R"({"files": [{"target": "annotations.json", "pending": ".annotations.json.pending", "hash": "0123456789abcdef"}]})");
  ClipDocument document;
  std::string error;
  CHECK_FALSE(document.open(dir.path(), kClip, fixture_canonical(), error));
  CHECK(error.find(".annotations.json.pending does not match the save journal") != std::string::npos);
  CHECK(read_text((dir.path() / "annotations.json").string()) == before);
  CHECK(std::filesystem::exists(dir.path() / ".annotations.json.pending"));
}

TEST_CASE("edit: a merge with no edits of ours gives exactly their content") {
  ClipSideState base, theirs;
  base.labels = Json::parse(R"({"1": "visible"})");
  theirs.labels = Json::parse(R"({"1": "ambiguous", "2": "visible"})");
  theirs.overrides = Json::parse(R"({"deletions": [0], "extra": 1})");
  MergeResult result;
  std::string error;
  REQUIRE(merge_clip_states(base, base, theirs, 8, result, error));
  CHECK(result.merged == theirs);
  CHECK(result.notes.empty());
  theirs.overrides = Json::parse(R"({"additions": {}})");
  ClipSideState mine = base;
  mine.labels = Json::parse(R"({"1": "inferable"})");
  CHECK_FALSE(merge_clip_states(base, mine, theirs, 8, result, error));
  CHECK(error.find("\"additions\" is not an array") != std::string::npos);
}
