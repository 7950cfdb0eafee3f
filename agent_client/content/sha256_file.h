// SHA-256 of a file, read in small blocks (the content cache holds files of
// up to 2 GiB; the agent's memory stays small).
#pragma once

#include <filesystem>
#include <string>

#include "common/error.h"

namespace parc::agent {

// Lowercase hex. kNotFound when the file does not exist.
Expected<std::string> Sha256OfFile(const std::filesystem::path& path);

}  // namespace parc::agent
