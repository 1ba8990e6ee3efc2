import { graphql } from '../../../gql';

export const DATASET_VERSIONS = graphql(`
  query AdminDatasetVersions($page: Int!, $limit: Int!, $includeArchived: Boolean!) {
    datasetVersions(page: $page, limit: $limit, includeArchived: $includeArchived) {
      page
      limit
      total
      totalPages
      items {
        id
        name
        parentId
        rowCount
        converted
        lost
        labelRate
        createdAt
        archivedAt
        contentHash
        usedBy {
          id
          kind
          since
        }
      }
    }
  }
`);

export const CREATE_DATASET_VERSION = graphql(`
  mutation AdminCreateDatasetVersion($input: CreateDatasetVersionInput!) {
    createDatasetVersion(input: $input) {
      ...AdminDatasetBuild
    }
  }
`);

export const DATASET_BUILD_FIELDS = graphql(`
  fragment AdminDatasetBuild on DatasetVersionBuild {
    id
    status
    stage
    rowsRead
    totalRows
    reused
    createdAt
    finishedAt
    error {
      code
      message
      fields {
        path
        messages
      }
    }
    version {
      id
      name
      rowCount
    }
  }
`);

export const DATASET_VERSION_BUILD = graphql(`
  query AdminDatasetVersionBuild($id: ID!) {
    datasetVersionBuild(id: $id) {
      ...AdminDatasetBuild
    }
  }
`);

export const DATASET_LINEAGE = graphql(`
  query AdminDatasetLineage($id: ID!) {
    datasetLineage(id: $id) {
      version {
        ...AdminLineageNode
      }
      ancestors {
        ...AdminLineageNode
      }
      descendants {
        ...AdminLineageNode
      }
    }
  }
`);

export const LINEAGE_NODE_FIELDS = graphql(`
  fragment AdminLineageNode on DatasetLineageNode {
    id
    name
    depth
    parentId
    rowCount
    archived
    createdAt
    contentHash
    transformation {
      features
      exclude
      numeric {
        fill
        log1p
        missingIndicator
        standardize
      }
      categorical {
        maxLevels
        minFrequency
      }
    }
  }
`);

export const COMPARE_DATASET_VERSIONS = graphql(`
  query AdminCompareDatasetVersions($a: ID!, $b: ID!) {
    compareDatasetVersions(a: $a, b: $b) {
      a
      b
      rowsA
      rowsB
      added
      removed
      changed
      unchanged
      labelRateA
      labelRateB
      labelRateChange
      sampledRowsA
      sampledRowsB
      sampleAdded
      sampleRemoved
      sampleChanged
      schema {
        added {
          name
          type
        }
        removed {
          name
          type
        }
        retyped {
          name
          from
          to
        }
      }
      features {
        name
        type
        psi
        binCount
        newCategoryCount
        vanishedCategoryCount
        newCategories
        vanishedCategories
      }
    }
  }
`);

export const ARCHIVE_DATASET_VERSION = graphql(`
  mutation AdminArchiveDatasetVersion($id: ID!) {
    archiveDatasetVersion(id: $id) {
      id
      archivedAt
    }
  }
`);
