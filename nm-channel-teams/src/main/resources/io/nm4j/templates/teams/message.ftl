<#--
  Microsoft Teams' built-in message, in the markdown of Adaptive Card text. The first line is the
  card's title, which every card repeats; each other line is a text block of its own, and an
  empty line leaves room above the next one.
-->
<#import "/nm.ftl" as nm>
<#macro alert a>

**${a.name}**<#if a.summary?has_content>: ${a.summary}</#if>
<#list a.labels as l>
${l.name}: ${l.value}
</#list>
<#list a.annotations as n>
_${n.name}_: ${n.value}
</#list>
<#if a.startsAt?has_content>
${words.startsAt}: ${a.startsAt}<#if a.endsAt?has_content> · ${words.endsAt}: ${a.endsAt}</#if>
</#if>
<#if a.generatorURL?has_content || a.runbookURL?has_content>
<#if a.generatorURL?has_content>[${words.source}](${a.generatorURL?no_esc})</#if><#if a.generatorURL?has_content && a.runbookURL?has_content> · </#if><#if a.runbookURL?has_content>[${words.runbook}](${a.runbookURL?no_esc})</#if>
</#if>
</#macro>
${nm.title()}
<#list firing>

**${words.firing}** (${firing?size})
<#items as a>
<@alert a/>
</#items>
</#list>
<#list resolved>

**${words.resolved}** (${resolved?size})
<#items as a>
<@alert a/>
</#items>
</#list>
<#if truncatedNote?has_content>

_${truncatedNote}_
</#if>
