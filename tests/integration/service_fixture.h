// Shared set-up for service tests: a TestServer, stubs, and small builders.
#pragma once

#include <gtest/gtest.h>

#include "parc/v1/admin.grpc.pb.h"
#include "parc/v1/allocation.grpc.pb.h"
#include "parc/v1/inventory.grpc.pb.h"
#include "tests/support/test_server.h"

namespace parc::testing {

class ServiceTest : public ::testing::Test {
 protected:
  ServiceTest()
      : inventory_(v1::InventoryService::NewStub(server_.Channel())),
        allocation_(v1::AllocationService::NewStub(server_.Channel())),
        admin_(v1::AdminService::NewStub(server_.Channel())) {}

  std::unique_ptr<grpc::ClientContext> As(const std::string& token) {
    return TestServer::Context(token);
  }
  std::unique_ptr<grpc::ClientContext> Admin() { return As(server_.admin_token()); }

  v1::Agent AddAgent(const std::string& number, const std::string& department,
                     bool has_email = false) {
    v1::CreateAgentRequest request;
    request.mutable_agent()->set_employee_number(number);
    request.mutable_agent()->set_first_name("Hélène");
    request.mutable_agent()->set_last_name("Le Goff");
    request.mutable_agent()->set_department(department);
    request.mutable_agent()->set_site("CTM-NORD");
    request.mutable_agent()->set_has_email(has_email);
    v1::Agent out;
    grpc::Status status = inventory_->CreateAgent(Admin().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  v1::Device AddDevice(const std::string& serial, const std::string& asset_tag,
                       v1::DeviceKind kind = v1::DEVICE_KIND_TABLET) {
    v1::CreateDeviceRequest request;
    request.mutable_device()->set_serial(serial);
    request.mutable_device()->set_asset_tag(asset_tag);
    request.mutable_device()->set_kind(kind);
    request.mutable_device()->set_model("Samsung Galaxy Tab A8");
    v1::Device out;
    grpc::Status status = inventory_->CreateDevice(Admin().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  grpc::Status Assign(const std::string& device, const std::string& employee,
                      const std::string& due = "", v1::Allocation* out = nullptr) {
    v1::AssignRequest request;
    request.set_device(device);
    request.set_employee_number(employee);
    request.set_due_date(due);
    v1::Allocation ignored;
    return allocation_->Assign(Admin().get(), request, out ? out : &ignored);
  }

  grpc::Status Return(const std::string& device, v1::Lifecycle to = v1::LIFECYCLE_UNSPECIFIED,
                      const std::string& condition = "") {
    v1::ReturnRequest request;
    request.set_device(device);
    request.set_to(to);
    request.set_condition(condition);
    v1::Allocation out;
    return allocation_->Return(Admin().get(), request, &out);
  }

  v1::Device GetDevice(const std::string& device) {
    v1::GetDeviceRequest request;
    request.set_device(device);
    v1::Device out;
    grpc::Status status = inventory_->GetDevice(Admin().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  std::vector<v1::AuditEvent> Audit(const std::string& target) {
    v1::ListAuditEventsRequest request;
    request.set_target(target);
    v1::ListAuditEventsResponse out;
    EXPECT_TRUE(admin_->ListAuditEvents(Admin().get(), request, &out).ok());
    return {out.events().begin(), out.events().end()};
  }

  TestServer server_;
  std::unique_ptr<v1::InventoryService::Stub> inventory_;
  std::unique_ptr<v1::AllocationService::Stub> allocation_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

}  // namespace parc::testing
