// parc.v1.InventoryService: agents, devices, sites, imports.
#pragma once

#include <string>
#include <utility>

#include "daemon/service/gate.h"
#include "parc/v1/inventory.grpc.pb.h"

namespace parc::service {

class InventoryService final : public v1::InventoryService::CallbackService {
 public:
  // `public_url` is the base of the enrollment URL CreateEnrollmentToken
  // answers (<public_url>/apprendre/?enroll=<token>).
  InventoryService(Gate& gate, std::string public_url)
      : gate_(gate), public_url_(std::move(public_url)) {}

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  Reactor* GetAgent(Ctx*, const v1::GetAgentRequest*, v1::Agent*) override;
  Reactor* ListAgents(Ctx*, const v1::ListAgentsRequest*, v1::ListAgentsResponse*) override;
  Reactor* CreateAgent(Ctx*, const v1::CreateAgentRequest*, v1::Agent*) override;
  Reactor* UpdateAgent(Ctx*, const v1::UpdateAgentRequest*, v1::Agent*) override;
  Reactor* ImportAgents(Ctx*, const v1::ImportRequest*, v1::ImportResult*) override;
  Reactor* GetDevice(Ctx*, const v1::GetDeviceRequest*, v1::Device*) override;
  Reactor* ListDevices(Ctx*, const v1::ListDevicesRequest*, v1::ListDevicesResponse*) override;
  Reactor* CreateDevice(Ctx*, const v1::CreateDeviceRequest*, v1::Device*) override;
  Reactor* UpdateDevice(Ctx*, const v1::UpdateDeviceRequest*, v1::Device*) override;
  Reactor* SetDeviceLifecycle(Ctx*, const v1::SetDeviceLifecycleRequest*, v1::Device*) override;
  Reactor* ImportDevices(Ctx*, const v1::ImportRequest*, v1::ImportResult*) override;
  Reactor* GetSite(Ctx*, const v1::GetSiteRequest*, v1::Site*) override;
  Reactor* ListSites(Ctx*, const v1::ListSitesRequest*, v1::ListSitesResponse*) override;
  Reactor* CreateSite(Ctx*, const v1::CreateSiteRequest*, v1::Site*) override;
  Reactor* UpdateSite(Ctx*, const v1::UpdateSiteRequest*, v1::Site*) override;
  Reactor* CreateEnrollmentToken(Ctx*, const v1::CreateEnrollmentTokenRequest*,
                                 v1::CreateEnrollmentTokenResponse*) override;
  Reactor* RevokeDevice(Ctx*, const v1::RevokeDeviceRequest*, v1::Device*) override;
  Reactor* AllowEnrollment(Ctx*, const v1::AllowEnrollmentRequest*, v1::Device*) override;
  Reactor* GetDeviceStatus(Ctx*, const v1::GetDeviceStatusRequest*,
                           v1::GetDeviceStatusResponse*) override;
  Reactor* Search(Ctx*, const v1::SearchRequest*, v1::SearchResponse*) override;

 private:
  Gate& gate_;
  const std::string public_url_;
};

}  // namespace parc::service
