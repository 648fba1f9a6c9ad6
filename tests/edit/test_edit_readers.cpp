// Read-only readers and an interrupted editor save: load_dataset (what score, check and summary
// use) must see the pair the save decided on (the new pair once the journal is written, the old
// pair before) and must not write anything: completing the save is the editor's job.
#include <doctest/doctest.h>

#include "edit_fixture.hpp"
#include "dataset/dataset.hpp"

using namespace idm;
using namespace idm::edit;
using namespace idm::test;

namespace {

Dataset load_read_only(const EditTempDir& dir) {
  auto before = folder_contents(dir.path());
  Dataset dataset;
  std::string error;
  REQUIRE_MESSAGE(load_dataset(dir.path(), DatasetLoadOptions{false}, dataset, error), error);
  CHECK(folder_contents(dir.path()) == before);
  return dataset;
}

std::string journal_for(const std::vector<std::pair<std::string, std::string>>& target_and_content) {
  Json journal = {{"files", Json::array()}};
  for (const auto& entry : target_and_content) {
    journal["files"].push_back({{"target", entry.first}, {"pending", "." + entry.first + ".pending"},
                                {"hash", side_file_hash_text(side_file_hash(entry.second))}});
  }
  return journal.dump(1) + "\n";
}

struct NewPair {
  std::string annotations, overrides;
};

// The new content a save would write: a label and a deletion, in the editor's layout.
NewPair new_pair() {
  Json annotations = fixture_annotations(), overrides = fixture_overrides();
  annotations[kClip]["1"] = "visible";
  overrides[kClip]["deletions"].push_back(4);
  return {annotations.dump(1) + "\n", overrides.dump(1) + "\n"};
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const std::string& line : lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("readers: a save killed between its two renames reads as the new pair, and nothing is written") {
  EditTempDir dir;
  write_fixture(dir);
  NewPair next = new_pair();
  // The state a SIGKILL between the renames leaves: journal written, annotations.json installed,
  // gt_overrides.json still pending (commit_side_files installs in that order).
  dir.write(kJournalName, journal_for({{"annotations.json", next.annotations}, {"gt_overrides.json", next.overrides}}));
  dir.write("annotations.json", next.annotations);
  dir.write(".gt_overrides.json.pending", next.overrides);

  Dataset dataset = load_read_only(dir);
  CHECK(dataset.annotations.raw == Json::parse(next.annotations));
  CHECK(dataset.overrides.raw == Json::parse(next.overrides));  // not the old gt_overrides.json still in place
  CHECK(dataset.overrides.clips.at(kClip).deletions.size() == fixture_overrides()[kClip]["deletions"].size() + 1);
  CHECK(dataset.side_file_errors.empty());
  REQUIRE(dataset.side_file_notes.size() == 1);
  CHECK(dataset.side_file_notes[0].find("interrupted") != std::string::npos);
  CHECK(dataset.side_file_notes[0].find("when the editor next opens") != std::string::npos);
  CHECK(dataset.side_file_notes[0].find("annotations.json and gt_overrides.json") != std::string::npos);

  // The editor's next open completes the save; the readers then see the same pair, and no note.
  ClipDocument document;
  std::string error;
  REQUIRE_MESSAGE(document.open(dir.path(), kClip, fixture_canonical(), error), error);
  CHECK(!std::filesystem::exists(dir.path() / kJournalName));
  Dataset after = load_read_only(dir);
  CHECK(after.annotations.raw == dataset.annotations.raw);
  CHECK(after.overrides.raw == dataset.overrides.raw);
  CHECK(after.side_file_notes.empty());
}

TEST_CASE("readers: a save killed right after its commit point reads as the new pair from both pending copies") {
  EditTempDir dir;
  write_fixture(dir);
  NewPair next = new_pair();
  dir.write(".annotations.json.pending", next.annotations);
  dir.write(".gt_overrides.json.pending", next.overrides);
  dir.write(kJournalName, journal_for({{"annotations.json", next.annotations}, {"gt_overrides.json", next.overrides}}));
  Dataset dataset = load_read_only(dir);
  CHECK(dataset.annotations.raw == Json::parse(next.annotations));
  CHECK(dataset.overrides.raw == Json::parse(next.overrides));
  REQUIRE(dataset.side_file_notes.size() == 1);
  CHECK(dataset.side_file_notes[0].find("2 from pending copies") != std::string::npos);
}

TEST_CASE("readers: pending files without a journal never reached the commit point: the old pair") {
  EditTempDir dir;
  write_fixture(dir);
  NewPair next = new_pair();
  dir.write(".annotations.json.pending", next.annotations);
  dir.write(".gt_overrides.json.pending", next.overrides);
  Dataset dataset = load_read_only(dir);
  CHECK(dataset.annotations.raw == fixture_annotations());
  CHECK(dataset.overrides.raw == fixture_overrides());
  CHECK(dataset.side_file_notes.empty());
  CHECK(dataset.side_file_errors.empty());
}

TEST_CASE("readers: a journal that cannot be trusted is reported and the files are read as they are") {
  EditTempDir dir;
  write_fixture(dir);
  NewPair next = new_pair();
  SUBCASE("a pending file that does not match its hash") {
    dir.write(".gt_overrides.json.pending", "{\"tampered\": true}");
    dir.write(kJournalName, journal_for({{"annotations.json", next.annotations}, {"gt_overrides.json", next.overrides}}));
    dir.write("annotations.json", next.annotations);
    Dataset dataset = load_read_only(dir);
    CHECK(mentions(dataset.side_file_errors, ".gt_overrides.json.pending does not match the save journal"));
    CHECK(dataset.overrides.raw == fixture_overrides());
    CHECK(dataset.annotations.raw == Json::parse(next.annotations));
  }
  SUBCASE("a journal that is not JSON") {
    dir.write(kJournalName, "{\"files\": [");
    dir.write(".gt_overrides.json.pending", next.overrides);
    Dataset dataset = load_read_only(dir);
    CHECK(mentions(dataset.side_file_errors, ".idmscope-save.json: not valid JSON"));
    CHECK(dataset.overrides.raw == fixture_overrides());
    CHECK(dataset.side_file_notes.empty());
  }
  SUBCASE("a decided pending copy that is not a side file: named, as the pending copy of its target") {
    std::string broken = "[1, 2]";
    dir.write(".annotations.json.pending", broken);
    dir.write(kJournalName, journal_for({{"annotations.json", broken}}));
    Dataset dataset = load_read_only(dir);
    CHECK(mentions(dataset.side_file_errors, "annotations.json (the unfinished save's .annotations.json.pending): $ is an array"));
    CHECK(dataset.overrides.raw == fixture_overrides());
  }
}

TEST_CASE("readers: warnings about a pending copy name the file it will become") {
  EditTempDir dir;
  write_fixture(dir);
  Json annotations = fixture_annotations();
  annotations["clips_recording_a/clip_009_x"] = 5;
  std::string content = "\xEF\xBB\xBF" + annotations.dump(1);  // a BOM is skipped, as for the file itself
  dir.write(".annotations.json.pending", content);
  dir.write(kJournalName, journal_for({{"annotations.json", content}}));
  Dataset dataset = load_read_only(dir);
  CHECK(dataset.side_file_errors.empty());
  CHECK(mentions(dataset.annotations.warnings, "annotations.json: $[\"clips_recording_a/clip_009_x\"] is a number"));
  CHECK_FALSE(mentions(dataset.annotations.warnings, ".pending"));
}
