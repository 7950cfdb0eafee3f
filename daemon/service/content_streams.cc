#include "daemon/service/content_streams.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <optional>

#include "daemon/domain/training.h"
#include "daemon/service/field_limits.h"
#include "daemon/service/status.h"

namespace parc::service {

namespace {

constexpr std::string_view kUpload = "/parc.v1.TrainingService/UploadContent";
constexpr std::string_view kFetch = "/parc.v1.DeviceService/FetchContent";

Status ValidateFileName(std::string_view name) {
  bool bad = name.size() > 255 || std::any_of(name.begin(), name.end(), [](char c) {
               return static_cast<unsigned char>(c) < 0x20 || c == '/';
             });
  if (bad) return InvalidArgument("file_name", "a file name without '/', at most 255 characters");
  return Ok();
}

class UploadReactor final : public grpc::ServerReadReactor<v1::UploadContentChunk> {
 public:
  UploadReactor(Gate& gate, content::ContentFiles& files, grpc::CallbackServerContext* ctx,
                v1::UploadContentResponse* response)
      : gate_(gate),
        files_(files),
        response_(response),
        watch_(gate.deadlines().Start(ctx, kUpload)) {
    auto op = gate_.AuthenticateOperator(ctx, kUpload);
    if (!op) {
      Done(std::unexpected(op.error()));
      return;
    }
    who_ = std::move(*op);
    actor_ = who_.name;
    StartRead(&chunk_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client half-closed: everything was sent
      Done(Complete());
      return;
    }
    Status result = CheckStringLimits(chunk_);
    if (result) result = upload_ ? Ok() : Begin();
    if (result && finished_) return;  // already stored: answered
    if (result) result = upload_->Append(chunk_.data());
    if (!result) {
      Done(result);
      return;
    }
    chunk_.Clear();
    StartRead(&chunk_);
  }

  void OnDone() override { delete this; }

 private:
  // The first chunk: what the client declares. Content already stored is
  // answered at once, before any temporary file exists.
  Status Begin() {
    PARC_TRY(ValidateFileName(chunk_.file_name()));
    file_name_ = chunk_.file_name();
    sha256_ = chunk_.sha256();
    size_ = chunk_.size();
    if (IsSha256Hex(sha256_) && size_ >= 0 && size_ <= files_.max_bytes()) {
      std::optional<store::ContentBlob> stored;
      PARC_TRY(gate_.store().Read([&](store::Reader& r) -> Status {
        PARC_ASSIGN_OR_RETURN(stored, r.training().FindContent(sha256_));
        return Ok();
      }));
      if (stored && stored->size == size_) {
        Done(Record(/*publish=*/false));
        return Ok();
      }
    }
    PARC_ASSIGN_OR_RETURN(upload_, files_.Begin(sha256_, size_));
    return Ok();
  }

  Status Complete() {
    if (!upload_) return InvalidArgument("sha256", "no chunk received");
    PARC_TRY(upload_->Finish());
    return Record(/*publish=*/true);
  }

  // Publishes the file (unless the same bytes are already there) and records
  // the blob with its audit row, under the collector's mutex.
  Status Record(bool publish) {
    std::lock_guard publishing(files_.publish_mutex());
    const int64_t now_ms = gate_.clock().NowMs();
    bool already = false;
    PARC_TRY(gate_.store().Write([&](store::Writer& w) -> Status {
      PARC_ASSIGN_OR_RETURN(auto stored, w.training().FindContent(sha256_));
      already = stored.has_value();
      if (!already && !publish) {
        return Fail(ErrorCode::kUnavailable, "content was collected meanwhile: upload again");
      }
      if (!already) PARC_TRY(files_.Publish(*upload_));
      store::ContentBlob blob{.sha256 = sha256_, .size = size_, .created_at_ms = now_ms};
      return domain::RecordContent(w, domain::Call{who_, now_ms}, blob, file_name_, already);
    }));
    response_->set_sha256(sha256_);
    response_->set_size(size_);
    response_->set_already_present(already);
    return Ok();
  }

  void Done(const Status& result) {
    if (finished_) return;
    finished_ = true;
    grpc::Status status = ToGrpcStatus(result);
    Gate::Log(kUpload, actor_, status, start_);
    Finish(status);
  }

  Gate& gate_;
  content::ContentFiles& files_;
  v1::UploadContentResponse* response_;
  const Gate::Start start_ = std::chrono::steady_clock::now();
  domain::Principal who_;
  std::string actor_ = "-";
  std::string file_name_;
  std::string sha256_;
  int64_t size_ = 0;
  v1::UploadContentChunk chunk_;
  std::unique_ptr<content::ContentFiles::Upload> upload_;
  bool finished_ = false;
  CallDeadlines::Watch watch_;  // released with the reactor, in OnDone
};

// Serializes a ContentChunk by hand around bytes read straight into the slice
// gRPC sends, so a chunk exists once in memory (a generated message would be
// read into, then copied into the serialized buffer: two copies per stream).
// Wire format of ContentChunk: field 1 offset (varint), field 2 data (bytes).
class ChunkWriter {
 public:
  // The largest header: two tags, a 10-byte varint and a 5-byte length.
  static constexpr size_t kMaxHeader = 1 + 10 + 1 + 5;

  // A slice holding the header for `size` bytes at `offset`; data() is where
  // the bytes go.
  ChunkWriter(int64_t offset, size_t size) {
    uint8_t header[kMaxHeader];
    uint8_t* p = header;
    *p++ = 0x08;  // field 1, varint
    p = Varint(static_cast<uint64_t>(offset), p);
    *p++ = 0x12;  // field 2, length-delimited
    p = Varint(size, p);
    header_ = static_cast<size_t>(p - header);
    slice_ = grpc_slice_malloc(header_ + size);
    std::memcpy(GRPC_SLICE_START_PTR(slice_), header, header_);
  }
  ~ChunkWriter() {
    if (owned_) grpc_slice_unref(slice_);
  }
  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;

  char* data() { return reinterpret_cast<char*>(GRPC_SLICE_START_PTR(slice_)) + header_; }

  // Hands the slice to `out` (which then owns it).
  void MoveTo(grpc::ByteBuffer& out) {
    grpc::Slice slice(slice_, grpc::Slice::STEAL_REF);
    owned_ = false;
    out = grpc::ByteBuffer(&slice, 1);
  }

 private:
  static uint8_t* Varint(uint64_t v, uint8_t* p) {
    while (v >= 0x80) {
      *p++ = static_cast<uint8_t>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<uint8_t>(v);
    return p;
  }

  grpc_slice slice_;
  size_t header_ = 0;
  bool owned_ = true;
};

class FetchReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  FetchReactor(Gate& gate, content::ContentFiles& files, content::AssignedContent& assigned,
               grpc::CallbackServerContext* ctx, const grpc::ByteBuffer& request)
      : watch_(gate.deadlines().Start(ctx, kFetch)) {
    Status opened = Open(gate, files, assigned, ctx, request);
    if (!opened) {
      Done(opened);
    } else if (offset_ == size_) {
      Done(Ok());  // nothing left to send
    } else {
      Next();
    }
  }

  ~FetchReactor() override {
    if (fd_ >= 0) ::close(fd_);
  }

  void OnWriteDone(bool ok) override {
    chunk_.Clear();  // the previous chunk is sent: free it before reading the next
    if (!ok) {
      Done(Fail(ErrorCode::kCancelled, fmt::format("stream broken at offset {}", offset_)));
    } else if (offset_ == size_) {
      Done(Ok());
    } else {
      Next();
    }
  }

  void OnDone() override { delete this; }

 private:
  Status Open(Gate& gate, content::ContentFiles& files, content::AssignedContent& assigned,
              grpc::CallbackServerContext* ctx, const grpc::ByteBuffer& raw) {
    PARC_TRY(gate.limits().messages.Check(kFetch, raw.Length()));  // message_limits.h
    PARC_ASSIGN_OR_RETURN(int64_t device, gate.AuthenticateDevice(ctx, kFetch));
    actor_ = DeviceActor(device);
    v1::FetchContentRequest request;
    grpc::ByteBuffer copy(raw);  // Deserialize consumes its buffer
    if (!grpc::SerializationTraits<v1::FetchContentRequest>::Deserialize(&copy, &request).ok()) {
      return InvalidArgument("request", "not a FetchContentRequest");
    }
    PARC_TRY(CheckStringLimits(request));
    if (!IsSha256Hex(request.sha256())) {
      return InvalidArgument("sha256", "64 lowercase hex digits");
    }
    if (request.offset() < 0) return InvalidArgument("offset", "negative");
    PARC_ASSIGN_OR_RETURN(auto set, assigned.For(device));
    if (!set.Holds(request.sha256())) {
      return Fail(
          ErrorCode::kPermissionDenied,
          fmt::format("sha256: content {} is not assigned to this device", request.sha256()));
    }
    const auto path = files.PathOf(request.sha256());
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
      return Fail(ErrorCode::kUnavailable,
                  fmt::format("content {} cannot be read on the server", request.sha256()));
    }
    size_ = st.st_size;
    if (request.offset() > size_) {
      return Fail(ErrorCode::kOutOfRange,
                  fmt::format("offset: {} is beyond the content's size of {} bytes",
                              request.offset(), size_));
    }
    offset_ = request.offset();
    return Ok();
  }

  // Reads the next chunk straight into the buffer gRPC sends, and writes it.
  void Next() {
    const int64_t want = std::min(kFetchChunkBytes, size_ - offset_);
    ChunkWriter chunk(offset_, static_cast<size_t>(want));
    int64_t got = 0;
    while (got < want) {
      ssize_t n = ::pread(fd_, chunk.data() + got, static_cast<size_t>(want - got), offset_ + got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        Done(Fail(ErrorCode::kUnavailable, fmt::format("content read failed at {}", offset_)));
        return;
      }
      got += n;
    }
    offset_ += want;
    chunk.MoveTo(chunk_);
    StartWrite(&chunk_);
  }

  void Done(const Status& result) {
    grpc::Status status = ToGrpcStatus(result);
    Gate::Log(kFetch, actor_, status, start_);
    Finish(status);
  }

  const Gate::Start start_ = std::chrono::steady_clock::now();
  std::string actor_ = "-";
  int fd_ = -1;
  int64_t size_ = 0;
  int64_t offset_ = 0;
  grpc::ByteBuffer chunk_;      // the chunk being written, serialized
  CallDeadlines::Watch watch_;  // released with the reactor, in OnDone
};

}  // namespace

grpc::ServerReadReactor<v1::UploadContentChunk>* StartUpload(Gate& gate,
                                                             content::ContentFiles& files,
                                                             grpc::CallbackServerContext* ctx,
                                                             v1::UploadContentResponse* response) {
  return new UploadReactor(gate, files, ctx, response);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* StartFetch(Gate& gate, content::ContentFiles& files,
                                                       content::AssignedContent& assigned,
                                                       grpc::CallbackServerContext* ctx,
                                                       const grpc::ByteBuffer& request) {
  return new FetchReactor(gate, files, assigned, ctx, request);
}

}  // namespace parc::service
