export type RecordedOp = 'check' | 'diff' | 'create' | 'read' | 'update' | 'delete';
export interface RecordedCall {
    op: RecordedOp;
    type: string;
    urn: string;
    inputs: Record<string, unknown>;
}
type Pkg = 'gcp' | 'kubernetes';
/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` -> type. */
export declare function typeOfUrn(urn: string): string;
/** The provider object, recording into `record` (a JSONL file). */
export declare function recordingProvider(pkg: Pkg, record: string, version: string): {
    version: string;
    check(urn: string, _olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{
        inputs: Record<string, unknown>;
    }>;
    diff(_id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{
        changes: boolean;
        replaces: string[];
        deleteBeforeReplace: boolean;
    }>;
    create(urn: string, inputs: Record<string, unknown>): Promise<{
        id: string;
        outs: Record<string, unknown>;
    }>;
    read(id: string, urn: string, props: Record<string, unknown>): Promise<{
        id: string;
        props: Record<string, unknown>;
    }>;
    update(_id: string, urn: string, _olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{
        outs: Record<string, unknown>;
    }>;
    delete(_id: string, urn: string, props: Record<string, unknown>): Promise<void>;
};
/** Foreground command: `<pkg>-double --port <p> --record <file>`. */
export declare function serveRecordingProvider(pkg: Pkg, argv: string[]): Promise<number>;
export {};
