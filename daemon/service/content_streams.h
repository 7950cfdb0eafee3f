// The two streaming content calls, as callback reactors that own their state
// and delete themselves in OnDone:
//  - TrainingService.UploadContent (client streaming): each chunk is written to
//    the upload's temporary file as it arrives (one chunk in memory), then the
//    hash and size are checked and the file published with its audited row.
//    When the first chunk names content already stored with that size, the
//    call is answered at once (already_present): the client's further writes
//    fail and its Finish returns OK.
//  - DeviceService.FetchContent (server streaming, a raw method: the request
//    is parsed here and each ContentChunk serialized by hand): the file is read
//    in 1 MiB chunks straight into the buffer gRPC sends, the next one only
//    once the previous write is done (OnWriteDone), so a stream holds one
//    chunk whatever the file's size.
#pragma once

#include <grpcpp/grpcpp.h>

#include "daemon/content/assigned_content.h"
#include "daemon/content/content_files.h"
#include "daemon/service/gate.h"
#include "parc/v1/device.pb.h"
#include "parc/v1/training.pb.h"

namespace parc::service {

constexpr int64_t kFetchChunkBytes = 1024 * 1024;

grpc::ServerReadReactor<v1::UploadContentChunk>* StartUpload(Gate& gate,
                                                             content::ContentFiles& files,
                                                             grpc::CallbackServerContext* ctx,
                                                             v1::UploadContentResponse* response);

// `request` is a serialized v1::FetchContentRequest; the stream carries
// serialized v1::ContentChunk messages.
grpc::ServerWriteReactor<grpc::ByteBuffer>* StartFetch(Gate& gate, content::ContentFiles& files,
                                                       content::AssignedContent& assigned,
                                                       grpc::CallbackServerContext* ctx,
                                                       const grpc::ByteBuffer& request);

}  // namespace parc::service
