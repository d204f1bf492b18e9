export interface KafkaClusterOptions {
    /** Broker nodes (default 1); node 0 is also the controller. */
    brokers?: number;
    /** Listen and advertise address (default 127.0.0.1). */
    host?: string;
    /** Client port of node 0; node i listens on port + i. 0 (default): free ports. */
    port?: number;
    /** `{user: password}`: the client listener speaks SASL_PLAINTEXT/PLAIN with these users. */
    saslUsers?: Record<string, string>;
    /** Principals allowed everything, e.g. `User:admin`. */
    superUsers?: string[];
    /** Default: true iff saslUsers is given. */
    authorizer?: boolean;
    /** JVM heap (default 256 MB, 384 MB for more than one broker). */
    heapMb?: number;
    /** How long to wait for the cluster to serve clients (default 120 s). */
    startTimeoutMs?: number;
    /** Each line the JVM prints (its log is at WARN). */
    onLog?: (line: string) => void;
}
export interface KafkaCluster {
    /** `host:port` of node 0. */
    bootstrap: string;
    /** `host:port` of every node, by node id. */
    brokers: string[];
    /** The JVM's process id. */
    pid: number;
    /** The JVM's last log lines. */
    logTail(): string[];
    /** Resolves with the JVM's exit code or signal when it has exited, for whatever reason. */
    exited: Promise<string>;
    /** Stops the JVM (SIGTERM, SIGKILL after a grace period) and deletes the data. Safe to call twice. */
    stop(): Promise<void>;
    /** Kills the JVM at once (SIGKILL), as a crash would, and deletes the data. */
    kill(): Promise<void>;
}
/** Kafka's own user for broker-to-broker and broker-to-controller traffic; never a client's. */
export declare const INTERNAL_USER = "meshform-internal";
/** Files of an installed peer home. */
export declare function kafkaLayout(home: string): {
    libs: string;
    classes: string;
    log4j: string;
};
/** A free TCP port on `host` (the OS picks it; it may be taken again before Kafka binds it, which start() retries). */
export declare function freePort(host?: string): Promise<number>;
interface NodePlan {
    nodeId: number;
    clientPort: number;
}
/** server.properties of one node. */
export declare function nodeProperties(node: NodePlan, cluster: {
    host: string;
    controllerPort: number;
    dataDir: string;
    usersFile: string;
    internalPassword: string;
    sasl: boolean;
    authorizer: boolean;
    superUsers: string[];
}): Record<string, string>;
/** Starts the cluster and resolves once clients can connect (every broker listed in Metadata). */
export declare function startKafkaCluster(home: string, options?: KafkaClusterOptions): Promise<KafkaCluster>;
export {};
