// Giving devices to people and sites, and taking them back. At most one open
// allocation per device (the store enforces it too); closed allocations are
// history and never change.
#pragma once

#include "common/error.h"
#include "daemon/domain/principal.h"
#include "daemon/store/store.h"
#include "parc/v1/allocation.pb.h"

namespace parc::domain {

// Assigns an in-stock device to an agent (personal, or a loan when due_date is
// set) or to a site's shared pool. FAILED_PRECONDITION when the device is not in
// stock or the agent has left; NOT_FOUND for an unknown device, agent or site.
// request.started_at in the past records a paper allocation after the fact
// (its due date may have passed); INVALID_ARGUMENT when it is in the future,
// before the end of the device's previous allocation, or not before the due date.
Expected<v1::Allocation> Assign(store::Writer& w, const Call& call,
                                const v1::AssignRequest& request);

// Closes the device's open allocation and moves the device to in_stock (the
// default), in_repair or lost. FAILED_PRECONDITION when nothing is open.
Expected<v1::Allocation> Return(store::Writer& w, const Call& call,
                                const v1::ReturnRequest& request);

// The rule alone: may a device in this state be assigned? The message says why not.
Status CheckAssignable(const v1::Device& device);

}  // namespace parc::domain
