/** The contract version, shown by the API root and the OpenAPI document (its own module: the Worker does not import the document builder). */
export const API_VERSION = '1.0.0';
