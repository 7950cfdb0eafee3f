#include "cli/upload.h"

#include <fmt/format.h>

#include <fstream>
#include <system_error>

#include "common/crypto.h"
#include "common/i18n.h"

namespace parc::cli {
namespace {

// Reads up to `buffer.size()` bytes; shrinks `buffer` to what was read.
Status ReadPiece(std::ifstream& in, std::string& buffer, const std::filesystem::path& path) {
  in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  if (in.bad()) return Fail(ErrorCode::kInternal, TrF("cannot read {}", path.string()));
  buffer.resize(static_cast<size_t>(in.gcount()));
  return Ok();
}

}  // namespace

Status CheckReadableFile(const std::filesystem::path& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Fail(ErrorCode::kNotFound, TrF("file not found: {}", path.string()));
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Fail(ErrorCode::kInvalidArgument, TrF("not a regular file: {}", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, TrF("cannot read {}", path.string()));
  return Ok();
}

Expected<FileDigest> HashFile(const std::filesystem::path& path, const ByteProgress& progress) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, TrF("cannot read {}", path.string()));
  Sha256Stream sha;
  FileDigest digest;
  std::string buffer;
  do {
    buffer.resize(static_cast<size_t>(kUploadChunkBytes));
    PARC_TRY(ReadPiece(in, buffer, path));
    sha.Update(buffer);
    digest.size += static_cast<int64_t>(buffer.size());
    if (progress) progress(digest.size);
  } while (!buffer.empty());
  digest.sha256 = sha.FinishHex();
  return digest;
}

Expected<UploadResult> UploadFile(Client& client, const std::filesystem::path& path,
                                  const FileDigest& digest, const ByteProgress& progress,
                                  int64_t chunk_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, TrF("cannot read {}", path.string()));
  auto context = client.StreamContext();
  v1::UploadContentResponse response;
  auto writer = client.training().UploadContent(context.get(), &response);

  UploadResult result;
  v1::UploadContentChunk chunk;
  chunk.set_sha256(digest.sha256);
  chunk.set_size(digest.size);
  chunk.set_file_name(path.filename().string());
  bool server_stopped = false;
  bool first = true;
  Status read_status = Ok();
  while (true) {
    std::string* data = chunk.mutable_data();
    data->resize(static_cast<size_t>(chunk_bytes));
    if (read_status = ReadPiece(in, *data, path); !read_status) break;
    if (data->empty() && !first) break;
    if (result.bytes_sent + static_cast<int64_t>(data->size()) > digest.size) break;  // grew
    if (!writer->Write(chunk)) {
      server_stopped = true;  // the server answered (or failed): Finish() says which
      break;
    }
    result.bytes_sent += static_cast<int64_t>(data->size());
    if (progress) progress(result.bytes_sent);
    if (first) {
      chunk.clear_sha256();
      chunk.clear_size();
      chunk.clear_file_name();
      first = false;
    }
    if (result.bytes_sent == digest.size) break;
  }
  bool complete = result.bytes_sent == digest.size;
  if (!server_stopped && (!read_status || !complete)) {
    context->TryCancel();  // do not let a short or long stream be stored
  } else if (!server_stopped) {
    writer->WritesDone();
  }
  grpc::Status status = writer->Finish();
  if (!read_status) return std::unexpected(read_status.error());
  if (!server_stopped && !complete) {
    return Fail(ErrorCode::kFailedPrecondition,
                TrF("{} changed while it was being uploaded; try again", path.string()));
  }
  if (!status.ok()) return std::unexpected(StatusError(status, client.addr()));
  if (!complete && !response.already_present()) {
    return Fail(ErrorCode::kInternal,
                TrF("the server stopped the upload of {0} after {1} of {2} bytes", path.string(),
                    result.bytes_sent, digest.size));
  }
  result.sha256 = response.sha256();
  result.size = response.size();
  result.already_present = response.already_present();
  if (result.sha256 != digest.sha256 || result.size != digest.size) {
    return Fail(ErrorCode::kInternal,
                TrF("the server stored {0} as {1} ({2} bytes), expected {3} ({4} bytes)",
                    path.string(), result.sha256, result.size, digest.sha256, digest.size));
  }
  return result;
}

}  // namespace parc::cli
