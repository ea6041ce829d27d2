/** The part of s3rver (an S3-compatible server for tests, no types of its own) the tests use. */
declare module 's3rver' {
  import type FilesystemStore from 's3rver/lib/stores/filesystem';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    configureBuckets?: Array<{ name: string }>;
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Where objects are kept; requests reach it as `context.store` (both set in the constructor). */
    store: FilesystemStore;
    /** Koa's application context: every request's `ctx` inherits from it. */
    readonly context: { store: FilesystemStore };
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}

/** s3rver's store: each object a file `<directory>/<bucket>/<key>._S3rver_object`, beside its metadata. */
declare module 's3rver/lib/stores/filesystem' {
  import type { Readable } from 'node:stream';

  /** An object as s3rver's controllers pass it to the store. */
  export interface S3rverObject {
    readonly bucket: string;
    readonly key: string;
    /** The request body (or, for a form upload, its bytes). */
    readonly content: Readable | Buffer;
    readonly metadata: Record<string, string>;
  }
  export default class FilesystemStore {
    constructor(rootDirectory: string);
    /** `<directory>/<bucket>/<key>._S3rver_<resource>` (`object`, `metadata.json`, ...). */
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
    putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
    /** One part of a multipart upload, kept under the bucket's `uploads` folder until completed. */
    putPart(
      bucket: string,
      uploadId: string,
      partNumber: number,
      content: Readable,
    ): Promise<{ size: number; md5: string }>;
  }
}
