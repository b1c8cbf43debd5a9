import { graphql } from '../gql';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      kind
      scopes
      organization {
        id
        name
        status
      }
      apiKey {
        name
      }
    }
  }
`);
