import { AwsError } from '../core/errors.js';

/**
 * S3's errors with the codes, statuses and texts Amazon S3 sends, and the extra `<Error>` elements
 * it sends with them (BucketName, Key, ArgumentName...). Some also carry response headers.
 */
export class S3Error extends AwsError {
  constructor(
    code: string,
    message: string,
    statusCode: number,
    fields: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message, statusCode, fields);
  }
}

const e = (code: string, message: string, status = 400, fields: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  new S3Error(code, message, status, fields, headers);

export const noSuchBucket = (bucket: string) => e('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
export const noSuchKey = (key: string, headers: Record<string, string> = {}) => e('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }, headers);
export const noSuchVersion = (key: string, versionId: string) =>
  e('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
export const invalidVersionId = (versionId: string) =>
  e('InvalidArgument', 'Invalid version id specified', 400, { ArgumentName: 'versionId', ArgumentValue: versionId });
export const noSuchUpload = (uploadId: string) =>
  e('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, {
    UploadId: uploadId,
  });
export const bucketNotEmpty = (bucket: string) => e('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket });
export const bucketAlreadyOwnedByYou = (bucket: string) =>
  e('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket });
export const bucketAlreadyExists = (bucket: string) =>
  e(
    'BucketAlreadyExists',
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    409,
    { BucketName: bucket },
  );
export const invalidBucketName = (bucket: string) => e('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
export const illegalLocationConstraint = (constraint: string | undefined) =>
  e(
    'IllegalLocationConstraintException',
    `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
  );
export const invalidLocationConstraint = (constraint: string) =>
  e('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
export const noSuchTagSet = (bucket: string) => e('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket });
export const noSuchBucketPolicy = (bucket: string) => e('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket });
export const malformedPolicy = (message: string) => e('MalformedPolicy', message);
export const malformedXml = () => e('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
export const missingRequestBody = () => e('MissingRequestBodyError', 'Request body is empty.');
export const invalidArgument = (message: string, name: string, value: unknown) =>
  e('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value === undefined ? '' : String(value) });
export const invalidRequest = (message: string) => e('InvalidRequest', message);
export const notImplemented = (header: string) =>
  e('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { Header: header });
export const methodNotAllowed = (method: string, resourceType: string, headers: Record<string, string> = {}) =>
  e('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: resourceType }, headers);
export const preconditionFailed = (condition: string) =>
  e('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
export const invalidRange = (range: string, size: number) =>
  e('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: range, ActualObjectSize: size }, { 'content-range': `bytes */${size}` });
export const invalidPartNumber = (partNumber: number, parts: number) =>
  e('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416, { PartNumberRequested: partNumber, ActualPartCount: parts });
export const badDigestMd5 = (expected: string, calculated: string) =>
  e('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, { ExpectedDigest: expected, CalculatedDigest: calculated });
export const invalidDigest = (value: string) => e('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': value });
export const badChecksum = (algorithm: string) => e('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);
export const contentSha256Mismatch = (client: string, computed: string) =>
  e('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
    ClientComputedContentSHA256: client,
    S3ComputedContentSHA256: computed,
  });
export const incompleteBody = () => e('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
export const missingContentLength = () => e('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
export const malformedTrailer = () =>
  e('MalformedTrailerError', 'The request contained trailing data that was not well-formed or did not conform to our published schema.');
export const entityTooLarge = (size: number, max: number) =>
  e('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: size, MaxSizeAllowed: max });
export const entityTooSmall = (size: number, partNumber: number, etag: string) =>
  e('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, {
    ProposedSize: size,
    MinSizeAllowed: 5 * 1024 * 1024,
    PartNumber: partNumber,
    ETag: etag,
  });
export const invalidPart = (uploadId: string, partNumber: number, etag: string | undefined) =>
  e(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
    { UploadId: uploadId, PartNumber: partNumber, ETag: etag },
  );
export const invalidPartOrder = (uploadId: string) =>
  e('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400, {
    UploadId: uploadId,
  });
export const keyTooLong = (size: number) => e('KeyTooLongError', 'Your key is too long', 400, { Size: size, MaxSizeAllowed: 1024 });
export const metadataTooLarge = (size: number) =>
  e('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', 400, { Size: size, MaxSizeAllowed: 2048 });
export const invalidTag = (message: string) => e('InvalidTag', message);
export const invalidStorageClass = (value: string) =>
  e('InvalidStorageClass', 'The storage class you specified is not valid', 400, { StorageClassRequested: value });
export const invalidObjectState = (storageClass: string) =>
  e('InvalidObjectState', "The operation is not valid for the object's storage class", 403, { StorageClass: storageClass });
export const accessControlListNotSupported = () => e('AccessControlListNotSupported', 'The bucket does not allow ACLs');
export const invalidBucketAclWithObjectOwnership = () =>
  e('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
export const invalidCopySourceSelf = () =>
  invalidRequest(
    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
  );
export const invalidUri = () => e('InvalidURI', "Couldn't parse the specified URI.");
