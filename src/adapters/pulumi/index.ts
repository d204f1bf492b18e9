/**
 * `meshform/pulumi`: the Pulumi program and its parts, for a Pulumi project's entry file:
 *
 *   module.exports = require('meshform/pulumi').meshformProgram();
 *
 * The program reads `meshform:*` stack config and the specs under `meshform:specs`, relative to the
 * project folder, and registers one `meshform:mesh:DataProduct` component per product.
 */
import './sdk';

export { meshformProgram, planForPulumi, registerPlan, PlanningFailed, type ProgramOptions, type ProgramOutputs, type ProductOutputs } from './program';
export { DataProduct, DATA_PRODUCT_TYPE, type DataProductArgs } from './data-product';
export { KafkaProduct, KAFKA_PRODUCT_TYPE, kafkaInputs, registerKafka, type KafkaProductInputs, type KafkaProductOutputs } from './kafka';
export { programProviders, disabledDefaultProviders, type ProgramProviders } from './providers';
