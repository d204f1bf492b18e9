import type { Peer } from './peer';
/** Same as npm's @pulumi/pulumi in package.json; pkg/v3 and sdk/v3 at this version are served by the proxy. */
export declare const PULUMI_VERSION = "3.248.0";
/** Variables every use of this CLI needs here: no update checks, no plugin downloads (nothing to download from). */
export declare const PULUMI_ENV: {
    readonly PULUMI_SKIP_UPDATE_CHECK: "true";
    readonly PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true";
    readonly MESHFORM_PULUMI_VERSION: "3.248.0";
};
export declare const pulumiPeer: Peer;
