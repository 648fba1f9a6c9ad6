#pragma once
// infer.json: per-user defaults for model runs, one object per backend
//   {"openai": {"api_url", "model", "api_key_env", "prompt_file", "temperature", ...},
//    "command": {"command": [PROGRAM, ARGS...]}, "baseline": {...}, "default_backend": "openai"}
// read by `idmscope infer` (flags win) and by the viewer's run window, which can also save
// its settings back. Saving replaces one backend's section and keeps everything else in the
// file, unknown keys included. API keys never go in here: only the name of the variable.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace idm {

// config_dir()/infer.json
std::filesystem::path default_infer_config_path();

// The file's section for a backend ({} when the file or the section is absent). A missing file
// is an error only when `required` (the user named it). Errors name the file and the JSON path.
bool read_infer_config_section(const std::filesystem::path& path, bool required, const std::string& section,
                               nlohmann::json& out, std::string& error);

// Sets `section`'s keys from `values` (objects merge key by key; a null value removes the
// key) and writes the file atomically, creating its folder. Other sections and keys survive;
// an unreadable existing file is not overwritten.
bool write_infer_config_section(const std::filesystem::path& path, const std::string& section, const nlohmann::json& values,
                                std::string& error);

// The top-level "default_backend": what the viewer's Ctrl+R runs ("" when unset or unreadable).
std::string read_infer_default_backend(const std::filesystem::path& path);
bool write_infer_default_backend(const std::filesystem::path& path, const std::string& backend, std::string& error);

}  // namespace idm
