import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ModelStore, RangeRead } from './model-store';
import { unreachable } from './store-error';

// Uploads go in parts of this size, several at a time, so no single request carries 2 GiB.
const UPLOAD_PART_BYTES = 16 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 4;

const clients = new Map<string, S3Client>();

/**
 * The S3 client for an endpoint, created once per process. With an endpoint override (an
 * S3-compatible server such as the tests' loopback one) it uses path-style addressing and only
 * sends checksums S3 requires, which such servers understand; against AWS it uses the SDK's
 * defaults. Artifacts carry their own sha256, which loading verifies either way.
 */
export function s3Client(endpoint?: string): S3Client {
  const key = endpoint ?? '';
  let client = clients.get(key);
  if (!client) {
    client = new S3Client({
      ...(endpoint
        ? {
            endpoint,
            forcePathStyle: true,
            requestChecksumCalculation: 'WHEN_REQUIRED' as const,
            responseChecksumValidation: 'WHEN_REQUIRED' as const,
          }
        : {}),
      // A store that does not answer must fail a load in seconds, not hang the cold start.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    });
    clients.set(key, client);
  }
  return client;
}

/** A model store in an S3 bucket under a key prefix (`s3://bucket/prefix`). */
export class S3Store implements ModelStore {
  readonly location: string;
  private readonly prefix: string;

  constructor(
    private readonly bucket: string,
    prefix: string,
    private readonly client: S3Client,
  ) {
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.location = `s3://${bucket}/${this.prefix}`;
  }

  /** Parses `s3://bucket/prefix` into a store using the client for `endpoint`. */
  static fromUrl(url: string, endpoint?: string): S3Store {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
    if (!match?.[1]) throw new Error(`"${url}" is not s3://bucket/prefix`);
    return new S3Store(match[1], match[2] ?? '', s3Client(endpoint));
  }

  async readRange(key: string, start: number, end: number): Promise<RangeRead | undefined> {
    if (end <= start) return this.head(key);
    try {
      const reply = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key), Range: `bytes=${start}-${end - 1}` }),
      );
      const total = /\/(\d+)$/.exec(reply.ContentRange ?? '')?.[1];
      if (total === undefined && (start > 0 || reply.ContentLength !== end - start)) {
        // A server that ignores Range would send the whole object where one part was asked for.
        (reply.Body as Readable).destroy();
        throw new Error(`the server ignored the Range header (no Content-Range in the reply)`);
      }
      return { totalBytes: Number(total ?? reply.ContentLength), chunks: reply.Body as Readable };
    } catch (error) {
      if (isMissing(error)) return undefined;
      // A range that starts past the end: the object is shorter than expected; say how long it is.
      if (statusOf(error) === 416) return this.head(key);
      throw unreachable(this.location, key, error);
    }
  }

  async readSmall(key: string): Promise<Buffer | undefined> {
    try {
      const reply = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      return Buffer.from(
        await (reply.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw unreachable(this.location, key, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async writeFile(key: string, sourcePath: string): Promise<void> {
    try {
      await new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: this.key(key), Body: createReadStream(sourcePath) },
        partSize: UPLOAD_PART_BYTES,
        queueSize: UPLOAD_CONCURRENCY,
      }).done();
    } catch (error) {
      throw unreachable(this.location, key, error);
    }
  }

  async writeSmall(key: string, body: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key(key),
          Body: body,
          ContentType: 'application/json',
        }),
      );
    } catch (error) {
      throw unreachable(this.location, key, error);
    }
  }

  async listChildren(prefix: string): Promise<string[]> {
    const full = this.key(prefix);
    const names = new Set<string>();
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: full,
            Delimiter: '/',
            ContinuationToken: token,
          }),
        );
        for (const p of page.CommonPrefixes ?? []) if (p.Prefix) names.add(p.Prefix.slice(full.length, -1));
        for (const o of page.Contents ?? []) if (o.Key) names.add(o.Key.slice(full.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw unreachable(this.location, prefix, error);
    }
    return [...names].filter((n) => n !== '').sort();
  }

  private async head(key: string): Promise<RangeRead | undefined> {
    try {
      const reply = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(key) }),
      );
      return { totalBytes: reply.ContentLength ?? 0, chunks: [] };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw unreachable(this.location, key, error);
    }
  }

  private key(key: string): string {
    return `${this.prefix}${key}`;
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  // A missing bucket is a misconfigured store, not a missing version.
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}
