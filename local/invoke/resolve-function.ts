import type { InvokeApiConfig } from './invoke-api-config';
import { InvokeApiError } from './invoke-api-error';

/** The function version an invocation runs, and how the caller named it. */
export interface ResolvedFunction {
  readonly functionName: string;
  /** `$LATEST`, or the alias the caller named. */
  readonly qualifier: string | undefined;
  /**
   * What `X-Amz-Executed-Version` reports: `$LATEST`, or the version an alias points to when the
   * configuration names one (`aliasVersion`); without it always `$LATEST`, the working tree's code.
   */
  readonly executedVersion: string;
  /** The ARN the caller invoked (with its qualifier), as the context's `invokedFunctionArn`. */
  readonly invokedFunctionArn: string;
}

/** Where the request came from, for the parts of the ARN a plain function name leaves out. */
export interface CallerScope {
  readonly region: string;
  readonly accountId: string;
}

// Lambda's FunctionName forms: `name`, `name:qualifier`, `123456789012:function:name[:qualifier]`
// and `arn:aws:lambda:us-east-1:123456789012:function:name[:qualifier]`.
const FUNCTION_NAME =
  /^(?:arn:aws[a-zA-Z-]*:lambda:(?<region>[a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(?<account>\d{12}):)?(?:function:)?(?<name>[a-zA-Z0-9_-]+)(?::(?<qualifier>\$LATEST|[a-zA-Z0-9_-]+))?$/;

/**
 * Finds which function and version an Invoke names, from the `FunctionName` path segment and the
 * `Qualifier` query parameter, in every form Lambda accepts.
 * @throws InvokeApiError 404 `ResourceNotFoundException` for another function, an unknown alias
 *   or a version number (the local server runs one version: the working tree); 400
 *   `InvalidParameterValueException` when the name's qualifier and `Qualifier` disagree.
 * @example resolveFunction('budget-expense-matcher:live', undefined, config, scope)
 */
export function resolveFunction(
  functionNameParam: string,
  qualifierParam: string | undefined,
  config: Pick<InvokeApiConfig, 'functionName' | 'aliases'> & Partial<Pick<InvokeApiConfig, 'aliasVersion'>>,
  scope: CallerScope,
): ResolvedFunction {
  const match = FUNCTION_NAME.exec(functionNameParam)?.groups;
  const region = match?.region ?? scope.region;
  const accountId = match?.account ?? scope.accountId;
  const base = `arn:aws:lambda:${region}:${accountId}:function:${match?.name ?? functionNameParam}`;
  if (match?.name !== config.functionName) {
    throw new InvokeApiError(404, 'ResourceNotFoundException', `Function not found: ${base}`);
  }
  const fromName = match.qualifier;
  const fromParam = qualifierParam === '' ? undefined : qualifierParam;
  if (fromName !== undefined && fromParam !== undefined && fromName !== fromParam) {
    throw new InvokeApiError(
      400,
      'InvalidParameterValueException',
      `The derived qualifier from the function name (${fromName}) does not match the specified qualifier (${fromParam}).`,
    );
  }
  const qualifier = fromName ?? fromParam;
  const isVersion = qualifier !== undefined && qualifier === config.aliasVersion;
  if (
    qualifier !== undefined &&
    qualifier !== '$LATEST' &&
    !isVersion &&
    !config.aliases.includes(qualifier)
  ) {
    throw new InvokeApiError(404, 'ResourceNotFoundException', `Function not found: ${base}:${qualifier}`);
  }
  return {
    functionName: config.functionName,
    qualifier,
    executedVersion:
      qualifier === undefined || qualifier === '$LATEST' ? '$LATEST' : (config.aliasVersion ?? '$LATEST'),
    invokedFunctionArn: qualifier === undefined ? base : `${base}:${qualifier}`,
  };
}
