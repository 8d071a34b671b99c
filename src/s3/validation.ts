import type { AwsError } from '../core/errors.js';
import type { ServiceModel } from '../core/models/model.js';
import type { Violation } from '../core/models/validate.js';
import { invalidArgument, invalidLocationConstraint, invalidRequest, invalidStorageClass, malformedXml } from './errors.js';

/**
 * S3 does not answer bad input with a ValidationException: each kind of bad header or document
 * has its own error. The model's violations are translated here, the first one deciding.
 */
export function s3ValidationError(model: ServiceModel) {
  return (operation: string, violations: Violation[]): AwsError | undefined => {
    const v = violations[0];
    if (!v) return undefined;
    const input = model.shapes[model.operations[operation].input!.shape];
    const top = v.path.split('.')[0];
    const ref = input.members?.[top];
    const nested = v.path.includes('.');
    const value = /^Value '(.*)' at/s.exec(v.text)?.[1];
    if (v.member === 'LocationConstraint') return invalidLocationConstraint(value ?? '');
    if (top === 'ObjectAttributes') {
      if (v.constraint === 'required' || !value) return invalidRequest('The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty');
      return invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', value);
    }
    if (nested || (ref && !ref.location)) return malformedXml();
    const where = ref?.locationName ?? top;
    switch (v.member) {
      case 'StorageClass':
        return invalidStorageClass(value ?? '');
      case 'ChecksumAlgorithm':
      case 'ChecksumType':
      case 'ChecksumMode':
        return invalidRequest(`Value for ${where} header is invalid.`);
      case 'MetadataDirective':
        return invalidArgument('Unknown metadata directive.', where, value);
      case 'TaggingDirective':
        return invalidArgument('Unknown tagging directive.', where, value);
      case 'CopySource':
        return invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', where, value);
      case 'EncodingType':
        return invalidArgument('Invalid Encoding Method specified in Request', where, value);
      case 'MaxBuckets':
        return invalidArgument('Argument max-buckets must be an integer between 1 and 10000.', where, value);
      default:
        return invalidArgument(v.text, where, value);
    }
  };
}
