#pragma once
// Decodes a clip's raw action log (spec §2) from JSON: the clip files of a dataset and the
// `ground_truth` lists of a results file share this code.
#include <simdjson.h>

#include <filesystem>
#include <string>

#include "model/raw_event.hpp"

namespace idm {

struct DecodeOptions {
  bool keep_payload_json = true;  // the viewer shows payloads; the bulk scorer skips them
  // The bulk event scorer needs neither MouseMove vectors nor type names of known events:
  // skipping them saves most of the decoding work on a results file.
  bool scoring_only = false;
};

// Decodes `actions` (an array of [ts_us, [Type, payload]]). Entries that cannot be read are
// skipped with a warning naming their JSON location (`location` + "[i]").
void decode_actions(simdjson::dom::element actions, const std::string& location, const DecodeOptions& options,
                    ClipLog& out);

// Decodes a clip object {"start_s", "end_s", "tag", "actions"}. `actions_key` is "actions"
// for clip files and "ground_truth" for results files. Returns false (with error naming the
// JSON location) when the clip cannot be used at all.
bool decode_clip_object(simdjson::dom::element clip, const std::string& location, std::string_view actions_key,
                        const DecodeOptions& options, ClipLog& out, std::string& error);

// Reads and decodes one clip JSON file. error is "what is wrong" without the file name.
bool read_clip_file(const std::filesystem::path& path, ClipLog& out, std::string& error);

}  // namespace idm
