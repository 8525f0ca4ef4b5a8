// The one step from the private vault to the public site: build the public bundle under
// consent and the policy, verify it as a third party would, and write the site with the
// consented media, metadata stripped.
#pragma once

#include <string>

#include "base/status.h"
#include "publish/policy.h"
#include "publish/site.h"
#include "vault/publication.h"
#include "vault/vault.h"

namespace izde::publish {

vault::PublicationOptions PublicationOptionsOf(const Policy& policy);

struct PublishResult {
  SiteSummary site;
  size_t verified_records = 0;
};

Result<PublishResult> PublishVault(vault::Vault& vault, const Policy& policy,
                                   const std::string& out_dir, SiteOptions options = {});

}  // namespace izde::publish
